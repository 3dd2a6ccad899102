from . import relationship_stage
from . import res_partner
from . import relationship_dashboard
