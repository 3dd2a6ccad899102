from . import relationship_stage
from . import relationship_inquiry
from . import crm_lead
from . import res_partner
