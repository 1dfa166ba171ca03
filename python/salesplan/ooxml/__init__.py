"""Office Open XML: the .xlsx/.xlsm file format, read and written at the zip and XML level.

One module per part of the file format (ECMA-376), as XlsxWriter lays out its writers:

    package          the zip package: reading parts, writing a package, entries copied as stored,
                     the CRC check of every entry, small whole-package reads and rewrites
                     (Part 2, OPC)
    content_types    [Content_Types].xml (Part 2, §10.1.2)
    relationships    _rels/*.rels (Part 2, §9.3)
    workbook         xl/workbook.xml: sheets, defined names, views (Part 1, §18.2)
    worksheet        xl/worksheets/sheetN.xml: rendered sheets adapted, table rows written in bulk
                     (Part 1, §18.3)
    styles           xl/styles.xml: merging a rendered workbook's styles (Part 1, §18.8)
    shared_strings   xl/sharedStrings.xml (Part 1, §18.4)
    table            xl/tables/tableN.xml (Part 1, §18.5)
    vml              legacy VML drawings: buttons, comments (Part 4, §19)
    app              docProps/app.xml, extended properties (Part 1, §22.2)
    core             docProps/core.xml, core properties (Part 2, §11)
    peek             a quick look for a reader: sheet names and parts, a sheet's first rows as a
                     small package (ElementTree; imports nothing else of this package)
    limits           what a package may make a reader do: inflated sizes (zip bombs) checked
                     from the directory and while inflating, a sheet's used range scanned from
                     its cells (standard library only, for the head start)
    splice           replace_sheets: rendered sheets put into the user's package
    xml              escaping, attributes and elements edited as text

Nothing here imports pandas, and nothing is imported by this package's ``__init__``: a reader that
wants a sheet's header loads only the modules it uses.
"""
