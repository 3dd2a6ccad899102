from . import relationship_stage_backward
