# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The shipped playbook: the rules every company starts from, as data.

Each company gets its own copy (at install, and when a company is created),
which its consultants then edit: see ``relationship.followup.rule``'s
``_default_rule_values``. The rules of a company refer to its own ladder, so
the entries name what they need, and the model finds it per company:

- ``activity_type``: the xmlid of a ``mail.activity.type``;
- ``levels`` / ``phases``: codes of ``relationship.followup.option`` records
  (``ALIVE``: every phase but Dissolution);
- ``stages``: which rung of the company's ladder (``MEMBER_STAGE``: its first
  stage that requires a membership, ``ADVOCATE_STAGE``: its first stage that
  requires referrals).

``code`` tells which entry a company's rule started from. The texts are
translated into the company's language when its rules are made.
"""

from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)

CALL = "mail.mail_activity_data_call"
EMAIL = "mail.mail_activity_data_email"
MEETING = "mail.mail_activity_data_meeting"
TODO = "mail.mail_activity_data_todo"
# Check-ins and news are for relationships that are alive.
ALIVE = "alive"
MEMBER_STAGE = "membership"
ADVOCATE_STAGE = "referrals"
# Who gets personal attention (Kotler's levels): from Accountable up, the
# salesperson calls after a sale; Proactive and Partnership add their cadences.
# Basic customers, and those without a level yet, get no personal activity.
CALLED = ("accountable", "proactive", "partnership")
REACTIVE_INVITATION = "relationship_marketing_followup.mail_template_reactive_invitation"
MEMBER_WELCOME = "relationship_marketing_followup.mail_template_member_welcome"
# "Goes quiet" is worth a call for top customers and from Accountable up.
WORTH_A_CALL = (
    "['|', ('relationship_pareto', '=', True), "
    "('relationship_level', 'in', ['accountable', 'proactive', 'partnership'])]"
)

PLAYBOOK = (
    {
        "code": "thank_you_call",
        "sequence": 10,
        "name": _lt("Thank-you call after a sale"),
        "trigger": "purchase",
        "levels": CALLED,
        "delay_days": 1,
        "skip_after_days": 7,
        "activity_type": CALL,
        "summary": _lt("Thank {name} for the purchase"),
        "note": _lt("<p>Call {name} to thank them for their purchase of {last_purchase}.</p>"),
        "description": _lt(
            "The follow-up begins right after a sale, with a call to thank the customer."
        ),
    },
    {
        "code": "satisfaction_check",
        "sequence": 20,
        "name": _lt("Satisfaction check after a sale"),
        "ask_score": True,
        "trigger": "purchase",
        "levels": CALLED,
        "delay_days": 14,
        "skip_after_days": 7,
        "activity_type": CALL,
        "summary": _lt("Check that {name} is satisfied"),
        "note": _lt(
            "<p>Ask {name} whether the purchase of {last_purchase} meets their "
            "expectations, and record what they say.</p>"
        ),
    },
    {
        "code": "birthday",
        "sequence": 30,
        "name": _lt("Birthday greeting"),
        "trigger": "birthday",
        "levels": CALLED,
        "lead_days": 7,
        "skip_after_days": 7,
        "activity_type": TODO,
        "summary": _lt("Birthday of {name} on {due_date}: send a card"),
        "note": _lt("<p>{name} turns {years} on {due_date}. Send a card or a small gift.</p>"),
    },
    {
        "code": "anniversary",
        "sequence": 40,
        "name": _lt("Relationship anniversary"),
        "trigger": "anniversary",
        "levels": CALLED,
        "lead_days": 7,
        "skip_after_days": 7,
        "activity_type": TODO,
        "summary": _lt("{years} year(s) with {name} on {due_date}: send an anniversary card"),
        "note": _lt(
            "<p>{name} first bought from us on {first_purchase}. Thank them for "
            "{years} year(s) of business; a gift tied to their purchases shows "
            "you know them.</p>"
        ),
    },
    {
        "code": "checkin_reactive",
        "sequence": 50,
        "name": _lt("Invitation to get in touch after a sale (reactive)"),
        "trigger": "purchase",
        "levels": ("reactive",),
        "delay_days": 2,
        "skip_after_days": 7,
        "action": "email",
        "mail_template": REACTIVE_INVITATION,
        "activity_type": EMAIL,
        "description": _lt(
            "Reactive customers are not called: an email after each sale invites them "
            "to get in touch with questions, comments or complaints."
        ),
    },
    {
        "code": "checkin_proactive",
        "phases": ALIVE,
        "sequence": 70,
        "name": _lt("Check-in: regular call (proactive)"),
        "trigger": "cadence",
        "cadence_proactive_days": 60,
        "activity_type": CALL,
        "summary": _lt("Check in with {name}"),
        "note": _lt("<p>Call {name} for feedback, questions and suggestions.</p>"),
    },
    {
        "code": "checkin_partnership",
        "phases": ALIVE,
        "sequence": 80,
        "name": _lt("Check-in: partnership meeting"),
        "trigger": "cadence",
        "cadence_partnership_days": 30,
        "activity_type": MEETING,
        "assign_to": "key_account_manager",
        "summary": _lt("Partnership meeting with {name}"),
        "note": _lt(
            "<p>Meet {name} at their premises: review the work done together "
            "and plan what comes next.</p>"
        ),
    },
    {
        "code": "gone_quiet",
        "sequence": 90,
        "name": _lt("Warning: customer goes quiet"),
        "trigger": "inactivity",
        "condition_domain": WORTH_A_CALL,
        "activity_type": CALL,
        "summary": _lt("{name} has gone quiet: get in touch"),
        "note": _lt(
            "<p>{name} has bought nothing since {last_purchase} ({days_quiet} days). "
            "Find out why before the relationship ends.</p>"
        ),
    },
    {
        "code": "win_back",
        "sequence": 100,
        "name": _lt("Win-back after dissolution"),
        "trigger": "phase_change",
        # Nobody wins back a customer dropped for fraud.
        "condition_domain": "[('relationship_dissolution_reason', '!=', 'fraud')]",
        "phases": ("dissolution",),
        "delay_days": 30,
        "skip_after_days": 30,
        "activity_type": CALL,
        "summary": _lt("Try to win {name} back"),
        "note": _lt(
            "<p>The relationship with {name} ended. Ask what went wrong and offer a way back.</p>"
        ),
    },
    {
        "code": "escalation_satisfaction",
        "sequence": 110,
        "name": _lt("Escalation: low satisfaction"),
        "trigger": "satisfaction_low",
        "score_threshold": 6.0,
        "skip_after_days": 30,
        "activity_type": CALL,
        "assign_to": "team_leader",
        "summary": _lt("Satisfaction of {name} dropped to {score}"),
        "note": _lt(
            "<p>{name} gave a score of {score}. Call them, find what went wrong and fix it.</p>"
        ),
    },
    {
        "code": "escalation_complaint",
        "sequence": 120,
        "name": _lt("Escalation: complaint"),
        "trigger": "complaint",
        "skip_after_days": 30,
        "activity_type": CALL,
        "assign_to": "team_leader",
        "summary": _lt("Complaint from {name}: make sure it is resolved"),
        "note": _lt(
            "<p>Bring the complaint of {name} to someone who can resolve it, and "
            "call them back.</p>"
        ),
    },
    {
        "code": "welcome_member",
        "sequence": 130,
        "name": _lt("Welcome a new member"),
        "trigger": "stage_change",
        "stages": MEMBER_STAGE,
        "delay_days": 1,
        "skip_after_days": 14,
        "action": "email",
        "mail_template": MEMBER_WELCOME,
        "activity_type": CALL,
        "summary": _lt("Welcome {name} as a member"),
        "note": _lt(
            "<p>Welcome {name} to the membership programme and walk them through its benefits.</p>"
        ),
    },
    {
        "code": "thank_advocate",
        "sequence": 140,
        "name": _lt("Thank a new advocate"),
        "trigger": "stage_change",
        "levels": CALLED,
        "stages": ADVOCATE_STAGE,
        "delay_days": 2,
        "skip_after_days": 14,
        "activity_type": TODO,
        "summary": _lt("Thank {name} for recommending us"),
        "note": _lt(
            "<p>{name} recommends us to others. Thank them, with a gift that ties in "
            "with their business or their last purchase ({last_purchase}).</p>"
        ),
    },
    {
        "code": "interest_news",
        "phases": ALIVE,
        "sequence": 150,
        "name": _lt("News for the customer's interests"),
        "trigger": "interest",
        "levels": ("proactive", "partnership"),
        "interval_days": 90,
        "activity_type": TODO,
        "summary": _lt("Send {name} an article or news about {tags}"),
        "note": _lt(
            "<p>When you read an article or see news about {tags} that {name} would "
            "like, send a note or make a quick call.</p>"
        ),
    },
)
