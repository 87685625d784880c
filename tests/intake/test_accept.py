from sqlalchemy import select

from intake.accept import accept
from storage.models import Fax
from storage.objects import original_key
from tests.helpers.faxes import make_fax


def test_good_duplicate_replayed_and_corrupt(tmp_path, services):
    path, _ = make_fax(tmp_path, "born_digital", "fine")
    data = path.read_bytes()
    first = accept(services, data, path.name, "drop_folder", {"caller_id": "5125550100"})
    assert first.status == "queued"
    assert services.queue.fetch_job(f"fax-{first.fax_id}-page-1") is not None  # counted here: no prepare job
    assert services.queue.fetch_job(f"fax-{first.fax_id}-analyse") is not None
    assert accept(services, data, "again.pdf", "drop_folder").status == "duplicate"
    via_gateway = accept(services, data, "x.pdf", "webhook:generic", provider_fax_id="gw-1")
    assert (
        accept(services, data, "x.pdf", "webhook:generic", provider_fax_id="gw-1").fax_id
        == via_gateway.fax_id
    )
    bad = accept(services, b"\x00" * 40, "junk.pdf", "drop_folder")
    assert bad.status == "failed" and "not a PDF" in bad.reason
    with services.sessions() as session:
        faxes = session.scalars(select(Fax).order_by(Fax.id)).all()
        stages = [t.stage for t in faxes[0].tasks]
    assert [f.status for f in faxes] == ["processing", "duplicate", "duplicate", "failed"]
    assert stages == [f"page:{n}" for n in range(1, faxes[0].page_count + 1)] + ["analyse"]
    assert faxes[1].duplicate_of_id == faxes[0].id
    assert faxes[0].sender == {"caller_id": "5125550100"}
    assert all(services.store.exists(original_key(f.sha256)) for f in faxes)  # nothing is lost


def test_a_provider_id_reused_for_another_fax_records_both(tmp_path, services):
    first, _ = make_fax(tmp_path / "a", "born_digital", "fine", seed=1)
    second, _ = make_fax(tmp_path / "b", "born_digital", "fine", seed=2)
    a = accept(services, first.read_bytes(), "a.tif", "hylafax", provider_fax_id="000200")
    b = accept(services, second.read_bytes(), "b.tif", "hylafax", provider_fax_id="000200")
    replay = accept(services, second.read_bytes(), "b.tif", "hylafax", provider_fax_id="000200")
    assert (a.status, b.status, replay.status) == ("queued", "queued", "known")
    assert a.fax_id != b.fax_id == replay.fax_id


def test_an_empty_provider_id_is_no_id(tmp_path, services):
    first, _ = make_fax(tmp_path / "a", "born_digital", "fine", seed=1)
    second, _ = make_fax(tmp_path / "b", "born_digital", "fine", seed=2)
    a = accept(services, first.read_bytes(), "a.pdf", "webhook:phaxio", provider_fax_id="")
    b = accept(services, second.read_bytes(), "b.pdf", "webhook:phaxio", provider_fax_id="")
    assert (a.status, b.status) == ("queued", "queued")
    with services.sessions() as session:
        assert session.scalars(select(Fax.provider_fax_id)).all() == [None, None]
