# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import fields
from odoo.tests import Form, freeze_time, tagged

from .common_depth import DepthCase


def later(days):
    """Freeze the clock ``days`` days from now."""
    return freeze_time(fields.Datetime.now() + timedelta(days=days))


@tagged("post_install", "-at_install")
class TestPhase(DepthCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.new_customer()

    def moves(self, partner=None):
        history = (partner or self.customer).relationship_phase_history_ids.sorted("id")
        return [(m.phase_from or False, m.phase_to, m.move_type, m.won_back) for m in history]

    def test_phases_move_forward_with_purchases(self):
        self.company.relationship_commitment_min_days = 300
        self.customer._relationship_refresh_phases()
        self.assertEqual(self.customer.relationship_phase, "exploration")
        self.buy(self.customer, 350)
        self.assertEqual(self.customer.relationship_phase, "awareness")
        self.buy(self.customer, 250)
        self.assertEqual(self.customer.relationship_phase, "expansion")
        self.buy(self.customer, 200)
        self.assertEqual(
            self.customer.relationship_phase, "expansion", "three orders are not enough"
        )
        # Four orders over more than 300 days, in each of the last two
        # half-years: a committed customer.
        self.buy(self.customer, 10)
        self.assertEqual(self.customer.relationship_phase, "commitment")
        self.assertEqual(
            self.moves(),
            [
                (False, "exploration", "automatic", False),
                ("exploration", "awareness", "automatic", False),
                ("awareness", "expansion", "automatic", False),
                ("expansion", "commitment", "automatic", False),
            ],
        )
        self.assertEqual(
            self.customer.relationship_phase_history_ids.sorted("id")[-1:].reason, "New purchase"
        )
        self.assertEqual(self.customer.relationship_lifecycle_focus, "growth")

    def test_phases_move_back_at_risk_dissolution_and_win_back(self):
        self.buy(self.customer, 400, 300, 200, 100, 10)
        self.assertEqual(self.customer.relationship_phase, "commitment")
        # Usual interval 97.5 days: at risk after 146 silent days, dissolved after 365.
        self.assertEqual(self.customer.relationship_purchase_interval, 97.5)
        last = self.customer.relationship_last_purchase
        self.assertEqual(self.customer.relationship_risk_date, last + timedelta(days=147))
        self.assertEqual(self.customer.relationship_dissolution_date, last + timedelta(days=366))
        stage = self.customer.relationship_stage_id
        with later(100):
            self.refresh()
            self.assertEqual(self.customer.relationship_phase, "commitment")
            self.assertFalse(self.customer.relationship_at_risk)
        with later(200):
            self.refresh()
            # Nothing bought in the last 180 days: no longer steady.
            self.assertEqual(self.customer.relationship_phase, "expansion")
            self.assertTrue(self.customer.relationship_at_risk)
            self.assertEqual(self.customer.relationship_risk_reason, "silent")
            self.assertEqual(self.customer.relationship_lifecycle_focus, "retention")
        with later(400):
            self.refresh()
            self.assertEqual(self.customer.relationship_phase, "dissolution")
            self.assertEqual(self.customer.relationship_dissolution_reason, "other")
            self.assertFalse(self.customer.relationship_at_risk)
            self.assertEqual(
                self.customer.relationship_stage_id, stage, "the ladder never moves back"
            )
            self.buy(self.customer, 0)
            self.assertEqual(self.customer.relationship_phase, "expansion")
            self.assertFalse(self.customer.relationship_dissolution_reason)
            self.assertEqual(self.customer.relationship_won_back_date, fields.Date.today())
        self.assertEqual(
            self.moves()[-3:],
            [
                ("commitment", "expansion", "automatic", False),
                ("expansion", "dissolution", "automatic", False),
                ("dissolution", "expansion", "automatic", True),
            ],
        )
        won_back = self.customer.relationship_phase_history_ids.sorted("id")[-1:]
        self.assertEqual(won_back.reason, "Bought again after the relationship had ended")
        self.assertEqual(
            self.env["relationship.phase.history"].search_count(
                [("won_back", "=", True), ("partner_id", "=", self.customer.id)]
            ),
            1,
        )

    def test_at_risk_edges_with_the_floor(self):
        # One purchase: no usual interval, the floor of 45 days applies.
        self.buy(self.customer, 45)
        self.assertFalse(self.customer.relationship_at_risk)
        with later(1):
            self.refresh()
            self.assertTrue(self.customer.relationship_at_risk)
        regular = self.new_customer("Regular")
        # Every 10 days: the floor (45) is above 1.5 x 10 days.
        self.buy(regular, 50, 40, 30, 20)
        self.assertFalse(regular.relationship_at_risk)
        self.assertEqual(
            regular.relationship_risk_date, regular.relationship_last_purchase + timedelta(days=46)
        )
        self.company.relationship_risk_floor_days = 10
        # Now 1.5 x 10 days = 15: 20 silent days put it at risk.
        self.refresh()
        self.assertTrue(regular.relationship_at_risk)

    def test_low_score_puts_the_relationship_at_risk(self):
        self.buy(self.customer, 5, 3)
        Score = self.env["relationship.satisfaction"].with_user(self.user)
        Score.create({"partner_id": self.customer.id, "score": 4, "source": "SurveyTool"})
        self.assertTrue(self.customer.relationship_at_risk)
        self.assertEqual(self.customer.relationship_risk_reason, "low_score")
        self.assertTrue(
            self.Partner.with_user(self.user).search([("relationship_at_risk", "=", True)])
        )
        Score.create({"partner_id": self.customer.id, "score": 9, "source": "SurveyTool"})
        self.assertFalse(self.customer.relationship_at_risk)
        self.assertEqual(self.customer.relationship_satisfaction_score, 9)

    def test_dissolution_set_by_hand_needs_a_reason_and_holds_until_a_purchase(self):
        self.buy(self.customer, 30, 20)
        form = Form(self.customer.with_user(self.user))
        form.relationship_phase = "dissolution"
        with self.assertRaises(AssertionError):
            form.save()  # the reason is required
        form.relationship_dissolution_reason = "competitor"
        form.save()
        self.assertEqual(self.moves()[-1], ("expansion", "dissolution", "manual", False))
        move = self.customer.relationship_phase_history_ids.sorted("id")[-1:]
        self.assertEqual((move.user_id, move.dissolution_reason), (self.user, "competitor"))
        self.assertTrue(self.customer.relationship_phase_manual)
        self.refresh()
        self.assertEqual(
            self.customer.relationship_phase, "dissolution", "a phase set by hand holds"
        )
        self.assertEqual(self.customer.relationship_dissolution_reason, "competitor")
        # The customer comes back: it is won back.
        self.Purchase.create(
            {
                "source": "pos",
                "external_id": "back",
                "partner_id": self.customer.id,
                "date_order": fields.Datetime.now(),
                "amount": 10,
            }
        )
        self.assertEqual(self.customer.relationship_phase, "expansion")
        self.assertFalse(self.customer.relationship_phase_manual)
        self.assertEqual(self.moves()[-1], ("dissolution", "expansion", "automatic", True))

    def test_phase_set_by_hand_moves_both_ways(self):
        self.buy(self.customer, 30, 20)
        partner = self.customer.with_user(self.user)
        partner.write({"relationship_phase": "commitment"})
        partner.write({"relationship_phase": "awareness"})
        partner.write(
            {"relationship_phase": "dissolution", "relationship_dissolution_reason": "fraud"}
        )
        partner.write({"relationship_phase": "expansion"})
        self.assertEqual(
            self.moves()[-4:],
            [
                ("expansion", "commitment", "manual", False),
                ("commitment", "awareness", "manual", False),
                ("awareness", "dissolution", "manual", False),
                ("dissolution", "expansion", "manual", True),
            ],
        )
        self.assertFalse(self.customer.relationship_dissolution_reason)
        self.assertEqual(self.customer.relationship_won_back_date, fields.Date.today())

    def test_ingestion_wins_back_a_dissolved_customer(self):
        self.ingest([self.row("1", order_date=str(fields.Date.today() - timedelta(days=600)))])
        partner = self.Partner.search(
            [("email", "=", "ada@example.com"), ("company_id", "=", self.company.id)]
        )
        self.assertEqual(partner.relationship_phase, "dissolution")
        self.ingest([self.row("2", order_date=str(fields.Date.today()))])
        self.assertEqual(partner.relationship_phase, "expansion")
        self.assertEqual(self.moves(partner)[-1], ("dissolution", "expansion", "automatic", True))
        self.assertEqual(
            partner.relationship_phase_history_ids.sorted("id")[-1].reason,
            "Bought again after the relationship had ended",
        )

    def test_life_cycle_and_relationship_type(self):
        self.customer._relationship_refresh_phases()
        self.assertEqual(self.customer.relationship_lifecycle_focus, "acquisition")
        self.buy(self.customer, 5)
        self.assertEqual(self.customer.relationship_lifecycle_focus, "retention")
        self.assertEqual(self.customer.relationship_level, "basic")
        self.assertEqual(self.customer.relationship_type, "transactional")
        with Form(self.customer.with_user(self.user)) as form:
            form.relationship_level = "proactive"
            self.assertEqual(form.relationship_type, "long_term")
            form.relationship_key_account_manager_id = self.manager
            self.assertEqual(form.relationship_service_mode, "dedicated")
            form.relationship_lifecycle_focus = "growth"
        self.assertEqual(
            (
                self.customer.relationship_type,
                self.customer.relationship_service_mode,
                self.customer.relationship_lifecycle_focus,
            ),
            ("long_term", "dedicated", "growth"),
        )
