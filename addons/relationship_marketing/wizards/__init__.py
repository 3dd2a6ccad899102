from . import relationship_backfill
from . import relationship_stage_backward
