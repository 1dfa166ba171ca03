"""MS-OVBA 2.4.1 compression: the LZ77 variant every VBA ``dir`` and module stream is stored in.

A *CompressedContainer* is the signature byte ``0x01`` followed by chunks. Each chunk holds up to
4096 bytes of the decompressed data and starts with a 2-byte header::

    bit 15      1 = compressed, 0 = raw (then exactly 4096 bytes follow)
    bits 12-14  0b011
    bits 0-11   chunk size in bytes, header included, minus 3

A compressed chunk is a series of token sequences: a flag byte, then eight tokens, a literal byte
for each 0 bit and a 2-byte *copy token* for each 1 bit. A copy token packs an offset back into the
data decompressed so far in this chunk and a length; how many of its 16 bits are the offset grows
with the position in the chunk (2.4.1.3.19.1), from 4 bits at the start to 12 at the end::

    b"abcabcabc" -> 01 | 05 B0 | 08 61 62 63 03 20
                    signature, header (compressed, 6 bytes follow), flag byte 0b1000,
                    literals "abc", copy token 0x2003 (offset 2 + 1 = 3, length 3 + 3 = 6)

Round trip: ``decompress(compress(data)) == data``, except where the spec itself pads: a last chunk
shorter than 4096 bytes that does not compress is written raw, and a raw chunk is always 4096
bytes, so zeros follow it. VBA source is text and always compresses, so it never meets that case.
"""

from __future__ import annotations

from ..errors import IncompressibleError

CHUNK = 4096
MIN_MATCH = 3
_COMPRESSED = 0xB000  # flag bit 15 and the signature 0b011 in bits 12-14
_RAW_HEADER = 0x3FFF  # signature 0b011, flag 0, size 4096 + 2 - 3


def _token_layout(position: int) -> tuple[int, int]:
    """Offset bit count and maximum match length for a copy token at ``position`` in its chunk.

    2.4.1.3.19.1 CopyToken Help: ``BitCount = max(ceil(log2(position)), 4)``; the length gets the
    other ``16 - BitCount`` bits, so the longest match is ``(0xFFFF >> BitCount) + 3``.
    """
    bit_count = max((position - 1).bit_length(), 4)
    return bit_count, (0xFFFF >> bit_count) + MIN_MATCH


def _longest_match(chunk: bytes, position: int, max_length: int) -> tuple[int, int]:
    """(length, offset) of the longest earlier match for ``chunk[position:]``; (0, 0) if under 3.

    A match may run into the bytes it copies (offset 1 repeats one byte), so a candidate only has
    to *start* before ``position``: ``rfind`` within ``chunk[:position + length - 1]``. A match of
    length L implies one of L - 1, so the longest is found by bisection; ``rfind`` returns the
    nearest candidate, the one the spec's search (2.4.1.3.19.4) keeps on ties.
    """
    limit = min(max_length, len(chunk) - position)
    if limit < MIN_MATCH:
        return 0, 0
    start = chunk.rfind(chunk[position:position + MIN_MATCH], 0, position + MIN_MATCH - 1)
    if start < 0:
        return 0, 0
    best, best_start = MIN_MATCH, start
    low, high = MIN_MATCH + 1, limit
    while low <= high:
        length = (low + high) // 2
        start = chunk.rfind(chunk[position:position + length], 0, position + length - 1)
        if start < 0:
            high = length - 1
        else:
            best, best_start = length, start
            low = length + 1
    return best, position - best_start


def _compress_chunk(chunk: bytes, allow_raw: bool) -> bytes:
    """One chunk (header included) for up to 4096 bytes of data (2.4.1.3.7)."""
    out = bytearray()
    position = 0
    while position < len(chunk):
        flag_at = len(out)
        out.append(0)
        flags = 0
        for bit in range(8):
            if position >= len(chunk):
                break
            bit_count, max_length = _token_layout(position)
            length, offset = _longest_match(chunk, position, max_length)
            if length:
                token = ((offset - 1) << (16 - bit_count)) | (length - MIN_MATCH)
                out += token.to_bytes(2, "little")
                flags |= 1 << bit
                position += length
            else:
                out.append(chunk[position])
                position += 1
        out[flag_at] = flags
    if len(out) > CHUNK:
        if not allow_raw:
            raise IncompressibleError("%d bytes do not fit a compressed chunk" % len(chunk))
        # Incompressible: the spec stores such a chunk raw, always 4096 bytes long.
        return _RAW_HEADER.to_bytes(2, "little") + chunk.ljust(CHUNK, b"\0")
    return (_COMPRESSED | (len(out) + 2 - 3)).to_bytes(2, "little") + bytes(out)


def compress(data: bytes, *, allow_raw: bool = True) -> bytes:
    """Compress ``data`` into an MS-OVBA CompressedContainer (2.4.1.3.6).

    Args:
        data: the bytes to compress.
        allow_raw: store a chunk that does not compress raw, as the spec allows. Writers of VBA
            projects pass False: Excel itself never writes raw chunks, and reportedly drops a
            module that has one (unverified here).

    Raises:
        IncompressibleError: a chunk does not compress and ``allow_raw`` is False.
    """
    out = bytearray(b"\x01")
    for start in range(0, len(data), CHUNK):
        out += _compress_chunk(data[start:start + CHUNK], allow_raw)
    return bytes(out)


def decompress(container: bytes) -> bytes:
    """Decompress an MS-OVBA CompressedContainer (2.4.1.3.1).

    Raises:
        ValueError: the signature byte is missing, a chunk header is malformed, or a copy token
            points before the start of its chunk.
    """
    if not container or container[0] != 0x01:
        raise ValueError("not an MS-OVBA compressed container (signature byte is not 0x01)")
    out = bytearray()
    at = 1
    while at < len(container):
        if at + 2 > len(container):
            raise ValueError("truncated chunk header at byte %d" % at)
        header = int.from_bytes(container[at:at + 2], "little")
        if (header >> 12) & 0b111 != 0b011:
            raise ValueError("bad chunk signature at byte %d" % at)
        chunk_end = min(at + (header & 0x0FFF) + 3, len(container))
        at += 2
        chunk_start = len(out)
        if not header & 0x8000:
            out += container[at:at + CHUNK]
            at += CHUNK
            continue
        while at < chunk_end:
            flags = container[at]
            at += 1
            for bit in range(8):
                if at >= chunk_end:
                    break
                if not flags >> bit & 1:
                    out.append(container[at])
                    at += 1
                    continue
                token = int.from_bytes(container[at:at + 2], "little")
                at += 2
                bit_count, _ = _token_layout(len(out) - chunk_start)
                length = (token & (0xFFFF >> bit_count)) + MIN_MATCH
                offset = (token >> (16 - bit_count)) + 1
                source = len(out) - offset
                if source < chunk_start:
                    raise ValueError("copy token reaches before its chunk at byte %d" % (at - 2))
                if offset >= length:
                    out += out[source:source + length]
                else:  # the copy overlaps what it writes: byte by byte
                    for k in range(length):
                        out.append(out[source + k])
    return bytes(out)
