"""Reading and writing structures: the document format, importers and exports.

>>> from mtss_core.io import loads, dumps
>>> g = loads('{"format_version": 1, "units": [{"id": "d1", "kind": "district"}]}')
>>> g
<AlignmentGraph: 1 unit>
>>> "d1" in dumps(g)
True
"""

from .._files import read_file
from .._limits import Limits
from .._publish import publish
from ._decode import from_entry
from ._document import (
    FORMAT_VERSION,
    dump,
    dumps,
    from_data,
    load,
    loads,
    overlay,
    to_data,
    to_entry,
)
from ._encode import plain
from ._example import example, example_path, example_text
from ._export import to_dot, to_mermaid, to_networkx, to_node_link, write_graphml
from ._frames import to_frame
from ._locate import field_spans, places
from ._patch import patch_data, patch_file, patch_text
from ._schema import check_document, json_schema, schema_text
from ._workbook_read import Cells, workbook_cells
from .importers import (
    Imported,
    import_directory_csv,
    import_edfi,
    import_edfi_api,
    import_oneroster,
)

__all__ = [
    "FORMAT_VERSION",
    "Cells",
    "Imported",
    "Limits",
    "check_document",
    "dump",
    "dumps",
    "example",
    "example_path",
    "example_text",
    "field_spans",
    "from_data",
    "from_entry",
    "import_directory_csv",
    "import_edfi",
    "import_edfi_api",
    "import_oneroster",
    "json_schema",
    "load",
    "loads",
    "overlay",
    "patch_data",
    "patch_file",
    "patch_text",
    "places",
    "plain",
    "read_file",
    "schema_text",
    "to_data",
    "to_entry",
    "to_dot",
    "to_frame",
    "to_mermaid",
    "to_networkx",
    "to_node_link",
    "workbook_cells",
    "write_graphml",
]

publish(__name__, globals())
