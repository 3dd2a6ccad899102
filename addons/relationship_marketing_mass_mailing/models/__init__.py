from . import mailing_list
from . import mailing_list_sync
from . import relationship_stage
from . import res_partner
