from . import relationship_report_mixin
from . import relationship_stage
from . import relationship_funnel_report
from . import relationship_stage_duration_report
from . import relationship_kpi_report
from . import res_partner
