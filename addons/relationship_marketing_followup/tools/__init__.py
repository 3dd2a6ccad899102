from . import candidate
from . import placeholders
