from . import relationship_followup_preview
