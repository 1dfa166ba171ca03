import sys

try:
    from .cli import run
except KeyboardInterrupt:  # Ctrl-C while the libraries load: nothing was touched yet
    print("Прервано: исходный файл не изменён.", file=sys.stderr)
    raise SystemExit(130) from None

run()
