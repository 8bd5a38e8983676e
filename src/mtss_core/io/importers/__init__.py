"""Importers: build a structure from what districts already have.

Each importer reads one published source format (Ed-Fi XML and API JSON, OneRoster
CSV, a state directory CSV) and returns an :class:`Imported`: the objects made, what was
read and skipped, and notes about everything that was not turned into an object.

>>> from mtss_core.io.importers import import_directory_csv, Imported
>>> Imported.__name__
'Imported'
"""

from ..._publish import publish
from ._common import Imported
from ._directory import import_directory_csv, read_mapping
from ._edfi import import_edfi
from ._edfi_api import import_edfi_api
from ._oneroster import ONEROSTER_INCLUDE, import_oneroster

__all__ = ["ONEROSTER_INCLUDE", "Imported", "import_directory_csv", "import_edfi",
           "import_edfi_api", "import_oneroster", "read_mapping"]

publish(__name__, globals())
