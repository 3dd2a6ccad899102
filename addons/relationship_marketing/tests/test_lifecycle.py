# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import tagged

from .common import RelationshipCase


@tagged("post_install", "-at_install")
class TestLifecycle(RelationshipCase):
    """Synced data outlives what happens to the addon and to the partners."""

    def test_synced_records_have_no_external_id_of_the_addon(self):
        # Records with an external id of the module are deleted when the
        # module is uninstalled: synced customers must have none.
        answer = self.ingest(
            [self.row("1"), self.row("2", customer_id="C-2", email="b@example.com")]
        )
        partners = self.Partner.browse({r["partner_id"] for r in answer["results"]})
        purchases = self.env["relationship.purchase"].browse(
            [r["purchase_id"] for r in answer["results"]]
        )
        synced = {
            "res.partner": partners,
            "relationship.purchase": purchases,
            "relationship.customer.ref": partners.relationship_customer_ref_ids,
            "relationship.stage.history": partners.relationship_stage_history_ids,
        }
        for model, records in synced.items():
            self.assertTrue(records, model)
            data = self.env["ir.model.data"].search(
                [("model", "=", model), ("res_id", "in", records.ids)]
            )
            self.assertFalse(
                data, f"{model} records have external ids: {data.mapped('complete_name')}"
            )

    def test_archived_customer_keeps_its_history_and_is_still_matched(self):
        answer = self.ingest([self.row("1")])
        partner = self.Partner.browse(answer["results"][0]["partner_id"])
        partner.action_archive()
        self.assertEqual(len(partner.relationship_stage_history_ids), 1)
        self.assertEqual(partner.relationship_order_count, 1)
        # A new order of the archived customer lands on it, not on a double.
        answer = self.ingest([self.row("2", customer_id=None)])
        self.assertEqual(answer["results"][0]["partner_id"], partner.id)
        self.assertEqual(partner.relationship_order_count, 2)

    def test_merge_keeps_purchases_history_and_highest_rung(self):
        first = self.ingest([self.row("1", customer_id="A", email="a@example.com")])
        second = self.ingest(
            [self.row(str(n), customer_id="B", email="b@example.com") for n in range(2, 6)]
        )
        partner_a = self.Partner.browse(first["results"][0]["partner_id"])
        partner_b = self.Partner.browse(second["results"][0]["partner_id"])
        self.assertEqual(partner_b.relationship_stage_id, self.stage_client)
        club = self.env["relationship.programme"].create(
            {"name": "Club", "kind": "club", "club_access": "open", "company_id": self.company.id}
        )
        self.env["relationship.membership"].create(
            {
                "partner_id": partner_b.id,
                "programme_id": club.id,
                "company_id": self.company.id,
                "state": "active",
            }
        )
        self.env["relationship.satisfaction"].create(
            {
                "partner_id": partner_b.id,
                "company_id": self.company.id,
                "score": 9,
                "source": "survey",
            }
        )
        self.assertEqual(partner_b.relationship_stage_id, self.stage_member)
        wizard = self.env["base.partner.merge.automatic.wizard"].create(
            {"partner_ids": [(6, 0, (partner_a | partner_b).ids)], "dst_partner_id": partner_a.id}
        )
        wizard.action_merge()
        self.assertFalse(partner_b.exists())
        self.assertEqual(partner_a.relationship_order_count, 5)
        self.assertAlmostEqual(partner_a.relationship_revenue, 500.0)
        self.assertEqual(partner_a.relationship_stage_id, self.stage_member)
        self.assertTrue(partner_a.relationship_membership_active)
        self.assertEqual(partner_a.relationship_satisfaction_score, 9)
        self.assertEqual(
            sorted(partner_a.relationship_customer_ref_ids.mapped("external_id")), ["A", "B"]
        )
        self.assertEqual(partner_a.relationship_stage_history_ids[:1].reason, "Merged contacts")
        # The merged customer is matched by either source id afterwards.
        answer = self.ingest([self.row("9", customer_id="B", email=None)])
        self.assertEqual(answer["results"][0]["partner_id"], partner_a.id)
