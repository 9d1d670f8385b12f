"""The base of every table class.

Table models are constructed without validation (SQLModel), so pydantic's validators and
serializers are built on first use (`defer_build`), not while the models are imported: that
took 0.09-0.17 s of the 0.8 s start-up budget (issue 18), before the database was usable.
"""

from __future__ import annotations

from sqlmodel import SQLModel
from sqlmodel.main import SQLModelConfig


class Table(SQLModel):
    model_config = SQLModelConfig(defer_build=True)
