"""Build-time parts of salesplan.xlsm that are not spreadsheet cells: its VBA project.

- :mod:`.vba_project`: assemble ``vbaProject.bin`` from ``salesplan/vba/*.bas`` and xlwings'
  standalone project, and read modules back (:func:`build_vba_project`,
  :func:`read_vba_modules`, :func:`default_modules`, :func:`attach_vba_project`);
- :mod:`.ovba_compression`: the MS-OVBA compression its streams use;
- :mod:`.vba_dir`: its ``dir`` stream, the list of modules;
- :mod:`.cfb`: the compound file that holds it all.
"""

from .vba_project import VbaProjectError, attach_vba_project, build_vba_project, default_modules, read_vba_modules

__all__ = ["VbaProjectError", "attach_vba_project", "build_vba_project", "default_modules",
           "read_vba_modules"]
