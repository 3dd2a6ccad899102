from . import test_sale_points
from . import test_ui
