from . import relationship_stage
from . import res_partner
