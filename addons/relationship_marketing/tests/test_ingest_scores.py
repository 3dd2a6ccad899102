# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import RelationshipCase


@tagged("post_install", "-at_install")
class TestIngestScores(RelationshipCase):
    """``relationship.satisfaction.ingest_scores``: the scores of a survey tool."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Scores = cls.env["relationship.satisfaction"].with_user(cls.user)
        recent = (fields.Datetime.now() - timedelta(days=3)).strftime("%Y-%m-%d %H:%M:%S")
        cls.recent = recent
        answer = cls.Purchase.ingest_batch(
            [
                cls.row("1001", order_date=recent, customer_id="C-1", email="ada@example.com"),
                cls.row("1002", order_date=recent, customer_id="C-2", email="bob@example.com"),
            ],
            "webshop",
        )
        cls.ada = cls.Partner.browse(answer["results"][0]["partner_id"])
        cls.bob = cls.Partner.browse(answer["results"][1]["partner_id"])

    def score(self, score_id, **values):
        row = {"score_id": score_id, "customer_id": "C-1", "date": self.recent, "score": 9}
        row.update(values)
        return {key: value for key, value in row.items() if value is not None}

    def push(self, rows, source="webshop", **kwargs):
        return self.Scores.ingest_scores(rows, source, **kwargs)

    def scores_of(self, partner):
        return self.env["relationship.satisfaction"].search([("partner_id", "=", partner.id)])

    def test_scores_land_on_their_customers_once(self):
        rows = [
            self.score("S-1", comment="Quick delivery"),
            self.score("S-2", customer_id=None, email="BOB@example.com", score=4, scale="csat"),
        ]
        answer = self.push(rows)
        self.assertEqual(
            answer["counts"],
            {"created": 2, "updated": 0, "unchanged": 0, "superseded": 0, "rejected": 0},
        )
        self.assertEqual([r["score_id"] for r in answer["results"]], ["S-1", "S-2"])
        self.assertEqual([r["partner_id"] for r in answer["results"]], [self.ada.id, self.bob.id])
        ada_score = self.scores_of(self.ada)
        self.assertEqual(
            (ada_score.score, ada_score.comment, ada_score.source, ada_score.external_id),
            (9.0, "Quick delivery", "webshop", "S-1"),
        )
        self.assertEqual(ada_score.category, "promoter")
        self.assertEqual(self.scores_of(self.bob).score, 7.5, "CSAT 4 of 1-5 lands as 7.5 of 0-10")
        self.assertEqual(self.ada.relationship_satisfaction_score, 9)

        again = self.push(rows)
        self.assertEqual(self.statuses(again), ["unchanged", "unchanged"])
        self.assertEqual(len(self.scores_of(self.ada)), 1)

        changed = self.push([self.score("S-1", score=8, comment="Quick delivery")])
        self.assertEqual(self.statuses(changed), ["updated"])
        self.assertEqual(self.scores_of(self.ada).score, 8)
        self.assertEqual(self.ada.relationship_satisfaction_score, 8)

    def test_a_low_score_puts_the_relationship_at_risk(self):
        self.assertFalse(self.ada.relationship_at_risk)
        self.push([self.score("LOW-1", score=2, comment="Broken on arrival")])
        self.assertTrue(self.ada.relationship_at_risk)
        self.assertEqual(self.ada.relationship_risk_reason, "low_score")
        self.assertEqual(self.scores_of(self.ada).category, "detractor")
        # A corrected score lifts it, as a score corrected by hand does.
        self.push([self.score("LOW-1", score=9, comment="Replaced at once")])
        self.assertFalse(self.ada.relationship_at_risk)

    def test_a_score_moved_to_another_customer_refreshes_both(self):
        self.push([self.score("M-1", score=2)])
        self.assertTrue(self.ada.relationship_at_risk)
        answer = self.push([self.score("M-1", score=2, customer_id="C-2")])
        self.assertEqual(self.statuses(answer), ["updated"])
        self.assertFalse(self.ada.relationship_at_risk)
        self.assertTrue(self.bob.relationship_at_risk)

    def test_bad_rows_are_named_by_field_and_good_rows_land(self):
        answer = self.push(
            [
                self.score("OK-1"),
                self.score("BAD-1", score=11),
                self.score("BAD-2", score=0, scale="csat"),
                self.score("BAD-3", scale="stars"),
                self.score("BAD-4", date=None),
                self.score("BAD-5", customer_id="C-404"),
                self.score("BAD-6", customer_id=None, email="nobody@example.com"),
                self.score("BAD-7", customer_id=None),
                {"customer_id": "C-1", "date": self.recent, "score": 5},
            ]
        )
        self.assertEqual(self.statuses(answer), ["created"] + ["rejected"] * 8)
        self.assertEqual(
            [(r["score_id"], r["field"]) for r in answer["results"][1:]],
            [
                ("BAD-1", "score"),
                ("BAD-2", "score"),
                ("BAD-3", "scale"),
                ("BAD-4", "date"),
                ("BAD-5", "customer_id"),
                ("BAD-6", "email"),
                ("BAD-7", "customer_id"),
                (False, "score_id"),
            ],
        )
        self.assertIn("0 is not on the csat scale (1 to 5)", answer["results"][2]["reason"])
        self.assertIn("push the customer first", answer["results"][5]["reason"])
        self.assertEqual(len(self.scores_of(self.ada)), 1)

    def test_the_last_row_of_a_score_wins(self):
        answer = self.push([self.score("D-1", score=3), self.score("D-1", score=10)])
        self.assertEqual(self.statuses(answer), ["superseded", "created"])
        self.assertEqual(self.scores_of(self.ada).score, 10)

    def test_dry_run_writes_nothing(self):
        answer = self.push([self.score("DRY-1", score=1)], dry_run=True)
        self.assertEqual(self.statuses(answer), ["created"])
        self.assertFalse(self.scores_of(self.ada))
        self.assertFalse(self.ada.relationship_at_risk)

    def test_sources_keep_their_own_ids(self):
        self.push([self.score("S-1")], source="webshop")
        self.push([self.score("S-1", customer_id=None, email="ada@example.com")], source="survey")
        self.assertEqual(sorted(self.scores_of(self.ada).mapped("source")), ["survey", "webshop"])

    def test_access_and_contract(self):
        stranger = new_test_user(self.env, login="stranger", groups="base.group_user")
        with self.assertRaises(AccessError):
            self.env["relationship.satisfaction"].with_user(stranger).ingest_scores([], "x")
        scores = self.Purchase.ingest_info()["kinds"]["scores"]
        self.assertEqual(
            (scores["model"], scores["method"]), ("relationship.satisfaction", "ingest_scores")
        )
        columns = scores["row_contract"]["columns"]
        self.assertEqual(
            sorted(name for name, spec in columns.items() if spec["required"]),
            ["date", "score", "score_id"],
        )
        self.assertEqual((columns["score"]["minimum"], columns["score"]["maximum"]), (0, 10))

    def test_queries_do_not_grow_with_the_batch(self):
        customers = [f"QC{n}" for n in range(70)]
        self.Purchase.ingest_batch(
            [
                self.row(f"Q{n}", order_date=self.recent, customer_id=c, email=f"{c}@example.com")
                for n, c in enumerate(customers)
            ],
            "webshop",
        )

        def rows(count, start, score):
            # Each batch has customers of its own: the same work per row.
            return [
                self.score(f"QS{n}", customer_id=customers[n], score=score)
                for n in range(start, start + count)
            ]

        for name, score in (("new scores", 3), ("updated scores", 8), ("the same again", 8)):
            with self.subTest(scenario=name):
                # A first batch of the same work warms the caches, as a
                # connector's earlier batches do.
                self.push(
                    [self.score(f"QW{n}", customer_id=customers[n], score=score) for n in (5, 6, 7)]
                )
                counts = []
                for batch in (rows(5, 0, score), rows(60, 10, score)):
                    self.env.invalidate_all()
                    before = self.env.cr.sql_log_count
                    self.push(batch)
                    counts.append(self.env.cr.sql_log_count - before)
                self.assertEqual(counts[0], counts[1], f"{name}: queries grow with the batch")
