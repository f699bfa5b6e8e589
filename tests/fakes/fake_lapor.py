"""A fake SP4N-LAPOR! integration API on 127.0.0.1, for tests and the demo.

It speaks the push format known from public code (`POST /api/stream/addstream`, XML body with the
token as an attribute, answered with `<response><trackingid/><transaksiid/></response>`) plus
the lookup and status calls the bridge assumes (see extractors/lapor/mapping.py). Like the real
service it does NOT deduplicate: every accepted push creates a ticket, so a test that counts
tickets sees a double send.

Failure modes, queued with `fail_next(mode)` and used by the next push:
  "500"            answer 500, create nothing
  "timeout"        create the ticket, then hold the answer past the client's timeout (the hard case)
  "401"            refuse the token
  "validation"     refuse the content with 400 and a message
  "malformed"      create the ticket, answer with something that is not the expected XML
  "hang"           create the ticket, then hold the answer until released (for crash tests)
  "409"            answer 409 conflict, as a server that knows the idempotency key would to a repeat

Run standalone: `python -m tests.fakes.fake_lapor --port 8765 --token rahasia`.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import threading
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape


@dataclass
class Ticket:
    tracking_id: str
    transaksi_id: str
    ref: str | None
    isi: str
    rahasia: str
    anonim: str
    pelapor: dict
    created_at: datetime
    status: str = "Belum Terverifikasi"
    tindaklanjut: list[dict] = field(default_factory=list)
    dates: dict = field(default_factory=dict)


class FakeLapor:
    """The fake service; `with FakeLapor(token=...) as fake:` serves it on a free loopback port."""

    def __init__(
        self,
        token: str = "token-uji-lapor",
        host: str = "127.0.0.1",
        port: int = 0,
        hold_s: float = 3.0,
        lookup_enabled: bool = True,
    ):
        self.token = token
        self.hold_s = hold_s
        self.lookup_enabled = lookup_enabled
        self.tickets: list[Ticket] = []
        self.requests: list[tuple[str, str]] = []  # (method, path) of every call, in order
        self.pushes: list[bytes] = []  # raw bodies of every push received
        self._modes: list[str] = []
        self._lock = threading.Lock()
        self._ids = itertools.count(4_708_001)
        self.push_received = threading.Event()  # set when a push arrives (crash tests wait on it)
        self._release = threading.Event()
        self._server = ThreadingHTTPServer((host, port), self._handler_class())
        self._server.daemon_threads = True
        self._server.block_on_close = False
        self._thread: threading.Thread | None = None

    # --- control from tests ----------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def fail_next(self, *modes: str) -> None:
        with self._lock:
            self._modes.extend(modes)

    def release(self) -> None:
        """Let held answers go (the "hang" and "timeout" modes)."""
        self._release.set()

    def find(self, ref: str) -> list[Ticket]:
        with self._lock:
            return [t for t in self.tickets if t.ref == ref]

    def advance(self, tracking_id: str, status: str, tindaklanjut: dict | None = None, **dates: str) -> None:
        """Move a ticket on, as LAPOR!'s admin or an agency would (dates: tanggalverifikasi, …)."""
        with self._lock:
            ticket = next(t for t in self.tickets if t.tracking_id == tracking_id)
            ticket.status = status
            ticket.dates.update(dates)
            if tindaklanjut:
                ticket.tindaklanjut.append(tindaklanjut)

    def start(self) -> FakeLapor:
        self._thread = threading.Thread(target=self._server.serve_forever, name="fake-lapor", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._release.set()
        self._server.shutdown()
        self._server.server_close()
        if self._thread:
            self._thread.join(timeout=5)

    def __enter__(self) -> FakeLapor:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # --- the service ---------------------------------------------------------------------------------
    def _next_mode(self) -> str | None:
        with self._lock:
            return self._modes.pop(0) if self._modes else None

    def _create(self, ref: str | None, root: ET.Element) -> Ticket:
        laporan = root.find("laporan")
        pelapor = root.find("pelapor")
        with self._lock:
            ticket = Ticket(
                tracking_id=str(next(self._ids)),
                transaksi_id=uuid.uuid4().hex[:20].upper(),
                ref=ref,
                isi=laporan.findtext("isi") or "",
                rahasia=laporan.get("rahasia", "0"),
                anonim=laporan.get("anonim", "0"),
                pelapor={el.tag: el.text for el in (pelapor if pelapor is not None else [])},
                created_at=datetime.now(UTC),
            )
            self.tickets.append(ticket)
        return ticket

    def _handler_class(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            wbufsize = 1 << 16  # headers and body leave in one write (no Nagle/delayed-ACK stall)

            def log_message(self, *args) -> None:  # keep test output clean
                pass

            def _send(self, code: int, body: str, content_type: str = "text/xml; charset=UTF-8") -> None:
                data = body.encode("utf-8")
                self.send_response(code)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                # A client that gave up (timeout) closed the socket: what a real server sees too.
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(data)

            def _xml(self, code: int, **fields: str) -> None:
                inner = "".join(f"<{k}>{escape(str(v))}</{k}>" for k, v in fields.items())
                self._send(code, f'<?xml version="1.0" encoding="UTF-8"?><response>{inner}</response>')

            def do_POST(self) -> None:
                path = urlsplit(self.path).path
                fake.requests.append(("POST", path))
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if path != "/api/stream/addstream":
                    self._xml(404, status="error", message="tidak ditemukan")
                    return
                fake.pushes.append(body)
                fake.push_received.set()
                mode = fake._next_mode()
                try:
                    root = ET.fromstring(body)
                except ET.ParseError:
                    self._xml(400, status="error", message="format XML tidak valid")
                    return
                if mode == "401" or root.get("token") != fake.token:
                    self._xml(401, status="error", message="token tidak valid")
                    return
                if mode == "500":
                    self._xml(500, status="error", message="kesalahan server")
                    return
                if mode == "409":
                    self._xml(409, status="error", message="laporan dengan referensi ini sudah ada")
                    return
                isi = (root.findtext("laporan/isi") or "").strip()
                if mode == "validation" or len(isi) < 20:
                    self._xml(
                        400,
                        status="error",
                        message="Isi laporan kurang jelas: sebutkan lokasi dan waktu kejadian",
                    )
                    return
                ticket = fake._create(self.headers.get("X-Idempotency-Key"), root)
                if mode in ("timeout", "hang"):
                    fake._release.wait(timeout=fake.hold_s if mode == "timeout" else 60)
                if mode == "malformed":
                    self._send(200, "<html><body>Bad Gateway</body></html>", "text/html")
                    return
                self._xml(200, trackingid=ticket.tracking_id, transaksiid=ticket.transaksi_id)

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                fake.requests.append(("GET", parts.path))
                query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                if self.headers.get("X-Lapor-Token") != fake.token:
                    self._xml(401, status="error", message="token tidak valid")
                    return
                if parts.path == "/api/stream/lookup" and fake.lookup_enabled:
                    with fake._lock:
                        found = [
                            t
                            for t in fake.tickets
                            if (query.get("ref") and t.ref == query["ref"])
                            or (query.get("transaksiid") and t.transaksi_id == query["transaksiid"])
                        ]
                    if not found:
                        self._xml(200, found="0")
                        return
                    self._xml(200, found="1", trackingid=found[0].tracking_id, transaksiid=found[0].transaksi_id)
                    return
                if parts.path == "/api/stream/status":
                    with fake._lock:
                        ticket = next((t for t in fake.tickets if t.tracking_id == query.get("trackingid")), None)
                        if ticket is None:
                            self._xml(404, status="error", message="laporan tidak ditemukan")
                            return
                        items = "".join(
                            "<item>" + "".join(f"<{k}>{escape(str(v))}</{k}>" for k, v in tl.items()) + "</item>"
                            for tl in ticket.tindaklanjut
                        )
                        dates = "".join(f"<{k}>{escape(v)}</{k}>" for k, v in ticket.dates.items())
                        body = (
                            '<?xml version="1.0" encoding="UTF-8"?>'
                            f"<response><trackingid>{ticket.tracking_id}</trackingid>"
                            f"<status>{escape(ticket.status)}</status>{dates}"
                            f"<tindaklanjut>{items}</tindaklanjut></response>"
                        )
                    self._send(200, body)
                    return
                self._send(404, "Not Found", "text/plain")

        return Handler


# --- The warehouse side of the fake world: approved drafts as the UI leaves them ----------------------
SAMPLE_DRAFTS = (
    {
        "draft_id": "drf-sepaso-jalan",
        "issue_id": "iss-sepaso-jalan",
        "kategori": "jalan_jembatan",
        "judul": "Jalan poros Sepaso rusak berat dan berlubang",
        "isi": (
            "Jalan poros Bengalon–Sepaso di Desa Sepaso rusak berat, lubang sedalam lutut di depan SDN 003 "
            "dan truk sawit sering terperosok. Sudah tiga bulan belum diperbaiki; warga minta segera "
            "ditambal sebelum musim hujan. Kontak warga: 0812****7731."
        ),
        "isi_unmasked": None,
        "lokasi": "Desa Sepaso, Kecamatan Bengalon",
        "region_code": "64.08.09.2001",
        "opd": "Dinas Pekerjaan Umum dan Penataan Ruang",
        "klasifikasi": "pengaduan",
        "lat": 0.7678936227722001,
        "lon": 117.56533506173812,
    },
    {
        "draft_id": "drf-teluklingga-air",
        "issue_id": "iss-teluklingga-air",
        "kategori": "air_bersih",
        "judul": "Air PDAM mati lima hari di Teluk Lingga",
        "isi": (
            "Sudah lima hari air PDAM tidak mengalir di Gang Mawar, Kelurahan Teluk Lingga, Sangatta Utara. "
            "Warga terpaksa membeli air galon untuk mandi dan memasak. Mohon Perumdam Tirta Tuah Benua "
            "memberi kepastian jadwal perbaikan. NIK pelapor 6408**********21."
        ),
        "isi_unmasked": (
            "Sudah lima hari air PDAM tidak mengalir di Gang Mawar, Kelurahan Teluk Lingga, Sangatta "
            "Utara. Hubungi Pak Rahmat 081234567731."
        ),
        "lokasi": "Kelurahan Teluk Lingga, Kecamatan Sangatta Utara",
        "region_code": "64.08.04.1010",
        "opd": "Perumdam Tirta Tuah Benua",
        "klasifikasi": "pengaduan",
        "lat": 0.5229903044557481,
        "lon": 117.58670924376743,
    },
    {
        "draft_id": "drf-kaliorang-sampah",
        "issue_id": "iss-kaliorang-sampah",
        "kategori": "lingkungan_sampah",
        "judul": "Sampah menumpuk di pasar Kaliorang",
        "isi": (
            "Tumpukan sampah di belakang Pasar Kaliorang tidak diangkut dua minggu, baunya sampai ke rumah "
            "warga dan banyak lalat. Mohon DLH menambah jadwal truk pengangkut."
        ),
        "isi_unmasked": None,
        "lokasi": "Desa Kaliorang, Kecamatan Kaliorang",
        "region_code": "64.08.10.2001",
        "opd": "Dinas Lingkungan Hidup",
        "klasifikasi": "aspirasi",
        "lat": 0.8389404402956426,
        "lon": 117.91846081319846,
    },
)


def seed_approved_draft(con, draft: dict, first_seen: datetime | None = None, status: str = "approved") -> str:
    """Insert an issue and its approved draft the way ingest + a moderator leave them; returns draft_id."""
    now = datetime.now(UTC).replace(tzinfo=None)
    first_seen = first_seen or now
    con.execute(
        "INSERT INTO issues (issue_id, category, kecamatan, desa, region_code, lat, lon, first_seen, "
        "last_seen, post_count, report_count, reach, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 4, 3, 57, ?, ?)",
        [
            draft["issue_id"],
            draft["kategori"],
            draft["lokasi"].split("Kecamatan ")[-1],
            draft["lokasi"].split(",")[0],
            draft["region_code"],
            draft["lat"],
            draft["lon"],
            first_seen,
            now,
            now,
            now,
        ],
    )
    con.execute(
        "INSERT INTO drafts (draft_id, issue_id, status, judul, isi, isi_unmasked, kategori, lokasi, "
        "region_code, opd, klasifikasi, rahasia, anonim, decided_by, decided_at, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, true, true, 'moderator', ?, ?, ?)",
        [
            draft["draft_id"],
            draft["issue_id"],
            status,
            draft["judul"],
            draft["isi"],
            draft["isi_unmasked"],
            draft["kategori"],
            draft["lokasi"],
            draft["region_code"],
            draft["opd"],
            draft["klasifikasi"],
            now,
            now,
            now,
        ],
    )
    return draft["draft_id"]


def main() -> None:
    parser = argparse.ArgumentParser(description="A fake SP4N-LAPOR! on 127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--token", default="token-uji-lapor")
    args = parser.parse_args()
    fake = FakeLapor(token=args.token, port=args.port)
    print(f"fake LAPOR! on {fake.base_url} (Ctrl-C to stop)", flush=True)
    try:
        fake._server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        fake._server.server_close()


if __name__ == "__main__":
    main()
