from . import actions
from . import batch
from . import purchase_rows
