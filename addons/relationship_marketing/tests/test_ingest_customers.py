# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from ..tools.purchase_rows import MAX_BATCH_ROWS
from .common import RelationshipCase


@tagged("post_install", "-at_install")
class TestIngestCustomers(RelationshipCase):
    """``res.partner.ingest_customers``: contacts without orders, as prospects."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Customers = cls.env["res.partner"].with_user(cls.user)

    @staticmethod
    def contact(customer_id, **values):
        row = {
            "customer_id": customer_id,
            "name": f"Contact {customer_id}",
            "email": f"{customer_id.lower()}@example.com",
        }
        row.update(values)
        return {key: value for key, value in row.items() if value is not None}

    def push(self, rows, source="newsletter", **kwargs):
        return self.Customers.ingest_customers(rows, source, **kwargs)

    def contact_of(self, answer, index=0):
        return self.Partner.browse(answer["results"][index]["partner_id"])

    def test_new_contacts_enter_the_ladder_as_prospects(self):
        rows = [
            self.contact(
                "N-1",
                phone="+32 2 555 01 01",
                birthday="1990-05-17",
                tags="Newsletter, VIP",
                partner_ref="REF-N1",
            ),
            self.contact("N-2", name="Grace Hopper", tags="newsletter"),
        ]
        answer = self.push(rows)
        self.assertEqual(
            answer["counts"],
            {"created": 2, "updated": 0, "unchanged": 0, "superseded": 0, "rejected": 0},
        )
        self.assertEqual([r["customer_id"] for r in answer["results"]], ["N-1", "N-2"])
        ada, grace = self.contact_of(answer, 0), self.contact_of(answer, 1)
        self.assertEqual(ada.name, "Contact N-1")
        self.assertEqual(ada.email, "n-1@example.com")
        self.assertEqual(ada.phone, "+32 2 555 01 01")
        self.assertEqual(str(ada.relationship_birthday), "1990-05-17")
        self.assertEqual(ada.ref, "REF-N1")
        self.assertEqual(ada.company_id, self.company)
        self.assertEqual(grace.name, "Grace Hopper")
        for partner in ada | grace:
            self.assertEqual(partner.relationship_stage_id, self.stage_prospect)
            self.assertEqual(partner.relationship_order_count, 0)
        self.assertEqual(sorted(ada.category_id.mapped("name")), ["Newsletter", "VIP"])
        self.assertEqual(
            grace.category_id, ada.category_id.filtered(lambda t: t.name == "Newsletter")
        )
        move = ada.relationship_stage_history_ids
        self.assertEqual(move.stage_to_id, self.stage_prospect)
        self.assertEqual(move.reason, "Contact from newsletter")
        ref = self.env["relationship.customer.ref"].search([("external_id", "=", "N-1")])
        self.assertEqual((ref.source, ref.partner_id), ("newsletter", ada))

        again = self.push(rows)
        self.assertEqual(self.statuses(again), ["unchanged", "unchanged"])
        self.assertEqual(self.contact_of(again, 0), ada)
        self.assertEqual(
            self.env["res.partner.category"].search_count([("name", "=ilike", "newsletter")]),
            1,
            "a tag is matched by name, whatever its case",
        )

    def test_a_known_customer_is_filled_never_overwritten(self):
        ada = self.Partner.create(
            {"name": "Ada Lovelace", "email": "ada@example.com", "phone": "111"}
        )
        self.ingest([self.row("1001", customer_id="C-1", email="ada@example.com")])
        self.assertEqual(ada.relationship_stage_id, self.stage_first_time)
        answer = self.push(
            [
                self.contact(
                    "L-7",
                    name="A. Lovelace",
                    email="ADA@example.com",
                    phone="222",
                    birthday="1985-12-10",
                    tags="Mathematics",
                )
            ]
        )
        self.assertEqual(self.statuses(answer), ["updated"])
        self.assertEqual(self.contact_of(answer), ada, "matched by email, as orders are")
        self.assertEqual((ada.name, ada.phone), ("Ada Lovelace", "111"))
        self.assertEqual(str(ada.relationship_birthday), "1985-12-10")
        self.assertEqual(ada.category_id.mapped("name"), ["Mathematics"])
        self.assertEqual(
            ada.relationship_stage_id, self.stage_first_time, "a contact row never moves down"
        )
        # The source's id now names her, whatever email it sends later.
        moved = self.push([self.contact("L-7", email="ada@new.example.com")])
        self.assertEqual(self.contact_of(moved), ada)
        self.assertEqual(self.statuses(moved), ["unchanged"])
        self.assertEqual(ada.email, "ada@example.com")

    def test_a_known_contact_without_stage_is_updated_onto_the_ladder(self):
        bob = self.Partner.create({"name": "Bob", "email": "bob@example.com"})
        self.assertFalse(bob.relationship_stage_id)
        answer = self.push([self.contact("B-1", email="bob@example.com")])
        self.assertEqual(self.statuses(answer), ["updated"])
        self.assertEqual(bob.relationship_stage_id, self.stage_prospect)

    def test_bad_rows_are_named_by_field_and_good_rows_land(self):
        answer = self.push(
            [
                self.contact("OK-1"),
                {"name": "No id", "email": "noid@example.com"},
                self.contact("BAD-2", email="not an email"),
                self.contact("BAD-3", birthday="1990-13-45"),
                self.contact("BAD-4", salesperson="nobody@example.com"),
                self.contact("BAD-5", tags="x" * 65),
                "not a mapping",
            ]
        )
        self.assertEqual(
            self.statuses(answer),
            ["created", "rejected", "rejected", "rejected", "rejected", "rejected", "rejected"],
        )
        fields = [(r["customer_id"], r["field"]) for r in answer["results"][1:]]
        self.assertEqual(
            fields,
            [
                (False, "customer_id"),
                ("BAD-2", "email"),
                ("BAD-3", "birthday"),
                ("BAD-4", "salesperson"),
                ("BAD-5", "tags"),
                (False, "row"),
            ],
        )
        self.assertIn("customer_id: is required", answer["results"][1]["reason"])
        self.assertFalse(self.Partner.search([("email", "=", "noid@example.com")]))

    def test_salesperson_and_referrer(self):
        answer = self.push(
            [
                self.contact("R-1"),
                self.contact("R-2", salesperson="rm_manager", referred_by="R-1"),
            ]
        )
        referrer, referred = self.contact_of(answer, 0), self.contact_of(answer, 1)
        self.assertEqual(referred.user_id, self.manager)
        self.assertEqual(referred.relationship_referred_by_id, referrer)

    def test_the_last_row_of_a_customer_wins(self):
        answer = self.push(
            [
                self.contact("D-1", phone="1"),
                self.contact("D-2"),
                self.contact("D-1", phone="2"),
                self.contact("D-2"),
            ]
        )
        self.assertEqual(self.statuses(answer), ["superseded", "unchanged", "created", "created"])
        self.assertEqual(self.contact_of(answer, 2).phone, "2")
        self.assertEqual(answer["results"][1]["partner_id"], answer["results"][3]["partner_id"])

    def test_dry_run_writes_nothing(self):
        answer = self.push([self.contact("DRY-1", tags="Dry")], dry_run=True)
        self.assertTrue(answer["dry_run"])
        self.assertEqual(self.statuses(answer), ["created"])
        self.assertFalse(self.Partner.search([("email", "=", "dry-1@example.com")]))
        self.assertFalse(self.env["res.partner.category"].search([("name", "=", "Dry")]))
        self.assertFalse(self.env["relationship.sync.run"].search([("source", "=", "newsletter")]))

    def test_batches_are_recorded_on_a_sync_run(self):
        self.push([self.contact("S-1"), {"name": "no id"}], run_key="k1")
        self.push([self.contact("S-2")], run_key="k1")
        run = self.env["relationship.sync.run"].search([("source", "=", "newsletter")])
        self.assertEqual(len(run), 1)
        self.assertEqual((run.batch_count, run.created_count, run.rejected_count), (2, 2, 1))
        self.assertEqual(run.customer_created_count, 2)
        self.assertEqual(run.reject_ids.field_name, "customer_id")

    def test_limits_and_access(self):
        with self.assertRaises(UserError):
            self.push([self.contact(f"X{n}") for n in range(MAX_BATCH_ROWS + 1)])
        with self.assertRaises(UserError):
            self.push([self.contact("X")], source=" ")
        stranger = new_test_user(self.env, login="stranger", groups="base.group_user")
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(stranger).ingest_customers([], "newsletter")

    def test_ingest_info_publishes_the_kind(self):
        kinds = self.Purchase.ingest_info()["kinds"]
        self.assertEqual(set(kinds), {"orders", "customers", "scores"})
        customers = kinds["customers"]
        self.assertEqual(
            (customers["model"], customers["method"]), ("res.partner", "ingest_customers")
        )
        self.assertTrue(customers["can_ingest"])
        contract = customers["row_contract"]
        self.assertTrue(contract["columns"]["customer_id"]["required"])
        self.assertEqual(contract["columns"]["tags"]["type"], "text")
        self.assertEqual(contract["max_batch_size"], MAX_BATCH_ROWS)

    def test_queries_do_not_grow_with_the_batch(self):
        def rows(count, start, **values):
            return [
                self.contact(
                    f"Q{n}",
                    tags=f"Tag {n % 3}",
                    birthday=f"1990-01-{1 + n % 28:02d}",
                    **{key: f"{value}{n}" for key, value in values.items()},
                )
                for n in range(start, start + count)
            ]

        scenarios = {
            "new contacts": {},
            "the same again": {},
            # An Internal Reference filled on known contacts. (A phone or an
            # email filled on a known contact costs a search of the records
            # that follow it, e.g. CRM's leads: per contact, as any write.)
            "known contacts filled": {"partner_ref": "REF-"},
        }
        for name, values in scenarios.items():
            with self.subTest(scenario=name):
                # A first batch of the same work warms the caches, as a
                # connector's earlier batches do.
                self.push(rows(3, 500, **values))
                counts = []
                for batch in (rows(5, 0, **values), rows(60, 100, **values)):
                    self.env.invalidate_all()
                    before = self.env.cr.sql_log_count
                    answer = self.push(batch)
                    counts.append(self.env.cr.sql_log_count - before)
                self.assertEqual(counts[0], counts[1], f"{name}: queries grow with the batch")
                expected = {"new contacts": "created", "the same again": "unchanged"}
                self.assertEqual(set(self.statuses(answer)), {expected.get(name, "updated")}, name)
