"""The database router sends lag-tolerant reads to the replica, everything else to the primary."""

from xieshang.core.dbrouter import ReplicaRouter, replica
from xieshang.core.models import Committee


def test_reads_go_to_primary_by_default(settings):
    settings.DATABASES = {**settings.DATABASES, "replica": settings.DATABASES["default"]}
    assert ReplicaRouter().db_for_read(Committee) == "default"


def test_reads_inside_replica_block_go_to_replica(settings):
    settings.DATABASES = {**settings.DATABASES, "replica": settings.DATABASES["default"]}
    router = ReplicaRouter()
    with replica():
        assert router.db_for_read(Committee) == "replica"
        assert router.db_for_write(Committee) == "default"
    assert router.db_for_read(Committee) == "default"


def test_without_a_replica_everything_stays_on_primary():
    with replica():
        assert ReplicaRouter().db_for_read(Committee) is None  # Django falls back to default


def test_only_the_primary_is_migrated():
    router = ReplicaRouter()
    assert router.allow_migrate("default", "core") and not router.allow_migrate("replica", "core")
