from . import relationship_followup_preview
from . import relationship_followup_score
