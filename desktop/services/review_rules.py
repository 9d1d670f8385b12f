"""Old path of the vier-ogen verdict on each review step: it lives in
desktop.services.review.rules now (issue 19 broke the review <-> review_rules cycle)."""

from desktop.services.review.rules import push_judge, refused_steps

__all__ = ["push_judge", "refused_steps"]
