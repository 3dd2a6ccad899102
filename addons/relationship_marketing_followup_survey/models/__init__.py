from . import relationship_followup_rule
from . import mail_activity
from . import survey_user_input
