from . import crm_lead
from . import relationship_followup_rule
from . import relationship_followup_occurrence
