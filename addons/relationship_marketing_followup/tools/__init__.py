from . import candidate
from . import dates
from . import placeholders
