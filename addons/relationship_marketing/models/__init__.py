from . import relationship_stage
from . import relationship_stage_history
from . import relationship_customer_ref
from . import relationship_purchase
from . import res_company
from . import res_partner
from . import base_partner_merge_automatic_wizard
