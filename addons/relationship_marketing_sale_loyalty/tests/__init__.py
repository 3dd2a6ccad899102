from . import test_sale_points
