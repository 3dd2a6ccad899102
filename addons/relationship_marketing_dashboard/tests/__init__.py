from . import test_funnel_report
from . import test_stage_duration_report
from . import test_kpi_report
from . import test_dashboard
from . import test_translations
from . import test_ui
from . import test_refresh
