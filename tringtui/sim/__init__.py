"""A simulated TRiNG PBX, alive and stateful, served over real HTTP.

It is the backend of ``tringtui --demo``, what every API and TUI test talks
to, and a product of its own (``tringtui sim``) for anyone building against
TRiNG. It speaks the wire format of the API contract (how the real API answers) by itself:
it imports neither Textual nor ``tringtui.api`` (only the standard library,
plus PyYAML for ``--keys``).

Modules: ``generate`` draws the world for a seed and size (and untidies it,
``Mess``); ``world`` holds it with its lookups; ``engine`` lives it over
injected time (calls, legs, events, call records, queue log) and ``traffic``
starts its calls and background events; ``snapshots``
are the read views; ``actions`` the API's actions; ``state`` puts them
together as ``SimulatedPBX``. On the wire side: ``handlers`` (keys, tenants,
one handler per request type), ``info`` (one per INFO sub-type), ``wire`` and
``records`` (the bodies; ``records`` says which shapes are contract and
which inferred), ``replies``, ``server`` (HTTP, faults), ``request_log``.

Python API
==========

::

    from tringtui.sim import SimulatedPBX, SimServer, ManualClock, DEMO_KEYS

    clock = ManualClock()                      # or any () -> epoch seconds; default: wall clock
    pbx = SimulatedPBX(seed=7, size="small", clock=clock)   # + nodes=, tenants=, peers=, channels=
    with SimServer(pbx, host="127.0.0.1", port=0) as server:   # or server.start() / server.stop()
        server.url            # "http://127.0.0.1:54321"
        server.endpoint       # server.url + "/pbx/proxyapi.php"
        server.faults         # Faults: latency, mode, rate, only, error_rate, clear()
        server.request_log    # [RequestRecord(time, reqtype, params (key='***'), method, fault)]
        server.clear_log()
        server.handler_errors # tracebacks of the simulator's own failures (keys as ***); [] normally
        clock.advance(30)     # the PBX moves on when next looked at (≤ 900 s at a time, or calls re-draw)

``SimServer(pbx, host, port, keys=None, faults=None, log_to=None)``:
``log_to`` (a text stream) gets one JSON line per request: ``time`` (the
injected clock, UTC), ``reqtype``, ``params`` (key ``***``), ``method``,
``status`` (null when nothing was sent), ``outcome`` (``data``, ``empty``,
``success``, ``error``, ``refused``, ``dropped``, ``fault:<mode>``),
``message``, ``bytes`` (``tringtui sim --log-requests [FILE]``). A client
that hangs up early is not an error; anything else that fails while serving
is kept in ``handler_errors`` and printed on stderr. ``keys`` maps secrets
to ``ApiKey`` (default ``DEMO_KEYS``; ``load_keys(path)`` reads a YAML file,
``merge_keys`` combines groups). ``SIZES`` lists the presets: ``small``
(4 nodes, 3 tenants, 60 peers, ~40 channels), ``medium``, ``large``, ``huge``
(40 nodes, 200 tenants, 20,000 peers, 10,000 channels).

State inspection (each call first advances to the clock; results are frozen):

- ``pbx.channels_snapshot()`` → tuple of ``ChannelInfo`` (name, uniqueid,
  linkedid, node, tenant, call_id, peer, context, exten, state, application,
  data, caller_id, bridged, duration, on_hold)
- ``pbx.channel(name)`` / ``pbx.channel_by_uniqueid(uid)`` → ``ChannelInfo | None``
- ``pbx.peer(name)`` / ``pbx.peers_snapshot()`` → ``PeerInfo`` (registered,
  host, status, device_state, back_at, ...)
- ``pbx.agent(queue_id, "103-DEVEL")`` → ``AgentInfo`` (paused, pause_reason,
  status, device_state, calls_taken)
- ``pbx.queue(queue_id)`` → ``QueueInfo`` (number, name, tenant, members, stats)
- ``pbx.flow(number, tenant=None)`` → ``FlowInfo`` (state, value)
- ``pbx.nodes``, ``pbx.tenants`` (codes → objects), ``pbx.advance()``, ``pbx.lock``

Actions, each taking the lock and advancing to the clock first, returning
``(ok, message)``: ``hangup_channel(name, tenant)``, ``hangup_extension``,
``transfer(name, dest, extra, tenant)``, ``atxtransfer``, ``set_pause(ext,
queue, paused, reason, tenant)``, ``reboot(target, tenant)``, ``unregister``,
``set_flow(number, state, value, tenant)``, ``dial(source, dest, tenant)``,
``queue_add/queue_del(queue, ext)``, ``queue_clean(queue)``. History:
``pbx.cdrs`` (``CallRecord``, one per ended call, with its live uniqueid
and linkedid) and ``pbx.queue_log``.

Untidiness (``SimulatedPBX(..., mess=Mess(...))``):
``duplicate_peers=N`` registers N names on a second node too (PEERS and
COUNTPEERS list both registrations, ``peers_snapshot()`` has both, BLFS and
INFO extensions one, REBOOT/UNREGISTER of the name hit both);
``unicode_names`` is the share of phones with non-ASCII caller names;
``counts_as_text`` sends COUNTPEERS/COUNTCHANNELS numbers as strings with a
``total`` entry and flows' BLF timestamps as epoch seconds. ``small`` is tidy
by default (the suite pins it); ``medium`` and up have peers/500 duplicates,
15% unicode names and counts as text. Every world has unicode in PEERS'
Description and in outside callers' names, and node names in several styles
(``pbx21``, ``srv02``, ``pbx6.example.net``).

Determinism: the state at clock time T depends only on the seed, the size and
the actions taken (events are replayed in time order from one seeded
``random.Random``), so with a ``ManualClock`` the same seed gives
byte-identical bodies. Thread-safety: one re-entrant lock (``pbx.lock``);
every public method takes it, so tools may call them from any thread; hold
it yourself only to make several steps atomic or to touch the mutable
objects (``pbx.legs``, ``pbx.peers``, ...).

Keys and roles
==============

``DEMO_KEYS``: ``demo-admin`` (admin, rw), ``demo-admin-ro`` (admin, ro),
``demo-devel`` (tenant DEVEL, rw), ``demo-devel-ro`` (tenant DEVEL, ro),
``demo-acme`` (tenant ACME, rw). An unknown key, an unknown tenant, a tenant
key naming no tenant or another tenant, a read-only key used for a write, and
an admin key omitting the tenant where one is needed (BLFS, FLOWS, INFO,
QUEUE, AGENT, SETFLOW, DIAL) all get ``Too bad... you mistaken the security
api key.``, except COUNTCHANNELS, which says ``Wrong or missing tenant`` when
the tenant is missing or unknown. Writes: HANGUP, TRANSFER, ATXTRANSFER,
AGENT, REBOOT, UNREGISTER, SETFLOW, DIAL and QUEUE add/del/clean.

Bodies (JSON as PHP writes it: compact, ``\\/`` for ``/``, empty associative
arrays as ``[]``; plain: ``text/html; charset=UTF-8``)
======================================================================

``format`` missing or ``plain`` → plain; ``json`` → JSON (``application/json``,
also for error text); ``csv`` for INFO cdrs and simplecdrs (``text/csv``);
anything else → empty body. ``callback=FN`` with
``format=json`` wraps JSON data as ``FN(<json>);`` (error texts, action
results and empty bodies are not wrapped). Unknown ``reqtype`` → empty body.
The HTTP status is always 200.

=================  ============================================  ==========================================
reqtype            JSON                                           plain
=================  ============================================  ==========================================
COUNTPEERS         ``{"pbx21":12,...}`` registered peers per      ``pbx21:12|pbx24:9|``
                   node, every node, no total (untidy worlds:
                   ``{"pbx21":"12",...,"total":"21"}``)
COUNTCHANNELS      same, channels; ``nodename`` → that node       same; unknown node → empty
                   only; unknown node → empty body
PEERS              ``[{"0":node,"node":node,"1":name,"Name":..}]`` ``node|node|Name|Name|...`` one peer
                   (11 columns, each under index and name)        per line (each value twice)
CHANNELS           ``[[14 strings],...]`` concise layout,         14 values ``|``-separated, one per
                   ``nodename``/``tenant`` filters; ``[]`` none   line; empty when none
CHANNEL            ``[["Name","SIP/..."],...]`` ~55 pairs;        ``label|value`` per line
                   ``No channel specified``; unknown → empty
BLFS               ``[{st_extension,st_state,st_timestamp}]``     3 values per line
                   peers (``103-DEVEL``) then flows (``FL801-DEVEL``)
FLOWS              ``[{fl_id,...,st_peername}]`` all strings      18 values per line
INFO queues        ``{"281":"supportQ",...}`` (``[]`` if none)    ``281:supportQ|289:sales: EN, NL|``
INFO queue         ``{"AGENTSAVAILABLE":3,...,"SERVICELEVEL":     ``KEY:value|`` ...
                   "65.9",...}`` counts numbers, times strings;
                   ``No id specified``; unknown id → empty
INFO agents        ``{"103-DEVEL":{"0":0,"1":"available","2":    ``member|p0|p1|...|p11`` per line
                   "NOT_INUSE","4":"",...,"10":"281","11":"55"}}``
                   sparse (3 only if calls>0, 5 if a last call,
                   7 if penalty>0, 9 never); ``queue`` unknown →
                   ``null``; no ``queue`` → all queues, a later
                   queue's row replacing an earlier one's
INFO agentsconnected  as agents, registered phones only
INFO extstate      ``{"UniqueID":"KO","LinkedID":"Extension not    ``key:value|`` ...
                   registered"}`` / ``"Extension not in use"``;
                   busy: UniqueID, LinkedID, Connected Line ID
                   (+Name), Context, Extension, Direction
                   (in/out), OtherParty; ``No id specified``
INFO extensions    ``[{"0":..,"ex_id":..,...,"132":"103",           header ``Number|Name|Tech|State|
                   "ex_number":"103",...}]`` 148 columns under        Username|Password`` then rows
                   index and ``ex_*`` name, fake passwords among them
INFO config        ``{"maxchannels":"30","maxextensions":"100",   ``maxchannels:30|...|``
                   "maxdids":"10"}``
INFO balance       ``123.45``                                     ``123.45``
INFO dids          ``[{"0":..,"di_id":..,"2":"31","3":"20",        each value twice per line
                   "4":"1234567","5":descr,"13":"no",...}]``;
                   none → ``[]``
INFO agentsdelay   ``{"103-DEVEL":{"0":"281","queue":"281",..,     ``member|v|v|...``
                   "avgdelay":"4.2","maxdelay":"12"}}``; unknown
                   ``queue`` → ``null``
INFO cdrs          ``[{"0":..,"accountcode":"DEVEL",...}]`` the 31   each value twice per line;
                   contract columns (``records.CDR_COLUMNS``),      ``format=csv``: header line,
                   finished calls; filters ``uniqueid``,            then rows
                   ``linkedid``, ``src``, ``firstdst``,
                   ``direction`` (in/out/internal), ``phone``,
                   ``id``, ``start``/``end``, values comma-
                   separated; admin ``tenant=%``/``DEV%``; none → ``]``
INFO simplecdrs    as cdrs with ``records.SIMPLE_CDR_COLUMNS``;      same; csv too
                   filters ``calleridnum``, ``calleridname``,
                   ``disposition``, ``whoanswered``, ``phone``, ...
INFO queuelogs     ``[{time,callid,queuename,agent,event,data1..5}]`` one row per line
                   (``queue`` comma-separated, ``start``/``end``);
                   ENTERQUEUE, CONNECT (data1 waited), RINGNOANSWER,
                   ABANDON, EXITWITHTIMEOUT, COMPLETECALLER,
                   PAUSE/UNPAUSE, ADDMEMBER/REMOVEMEMBER; none → ``]``
INFO inforecording ``{uniqueid,linkedid,originateid,filename,        ``key:value|`` ...
                   format,size,duration,start,end,src,dst}`` by
                   ``uniqueid``/``linkedid``/``id``; not recorded →
                   empty; ``No id specified``
INFO (other)       empty body                                     empty body
COUNTCALLS         ``7`` (calls, not channels); idle → empty      same
QUEUE list         ``["103-DEVEL",...]``; empty/unknown → ``null`` ``103-DEVEL|104-DEVEL|``; empty → empty
QUEUE add          ``OK``; del/clean ``Success|...|``;            same
                   ``No id specified``, ``No extension specified``
AGENT              ``Success|Agent paused|`` / ``Success|Agent     same
                   unpaused|``; ``No extension specified``,
                   ``No action specified``, ``Error|Agent not in
                   queue|``, ``Error|Queue not found|``
HANGUP             ``Success|Channel hungup|``, ``Error|Channel    same
                   not found|``; ``No channel specified``
TRANSFER           ``Success|Transfer requested|``; ``No channel   same
                   specified``, ``No destination specified``
ATXTRANSFER        ``Success|Attended transfer requested|``       same
REBOOT/UNREGISTER  ``Success|Reboot sent to 1 peer|``,             same
                   ``Error|Peer not found|``; ``No peer specified``
SETFLOW            ``Success|Flow updated|``, ``Error|Flow not     same
                   found|``, ``Error|Invalid state|``;
                   ``No number specified``
DIAL               ``Success|Originate successfully queued|        same
                   <14 hex>|``; ``No source specified``,
                   ``No destination specified``
=================  ============================================  ==========================================

Timestamps (``st_timestamp``, cdrs ``start``/``answer``/``end``, queue log
``time``) are UTC, ``YYYY-MM-DD HH:MM:SS``. An
agent of type AD or EA whose phone is unregistered is ``available`` with
device state ``UNAVAILABLE`` (it follows to other destinations), as seen on
the real API; other agents are then ``unavailable``.

How actions change the state
============================

- HANGUP (``channel`` or ``extension``): the whole call goes (every leg).
- TRANSFER: the named leg now dials ``dest`` (a tenant extension number or an
  outside number via the trunk); its former parties hang up, except
  ``extrachannel``, which is redirected with it. An unregistered extension
  sends it to voicemail.
- ATXTRANSFER: the named leg consults ``dest`` while its party waits on hold
  (device state ONHOLD); a few seconds after ``dest`` answers the transferrer
  leaves and the held party talks to ``dest``.
- AGENT pause/unpause: that queue only, or every queue of the agent when no
  queue is given; INFO agents and the queue's AGENTS* statistics follow.
- REBOOT: the phone's calls drop and its registration is lost (Host
  ``(Unspecified)``, Status UNKNOWN, COUNTPEERS drops) for 30-90 s of sim
  time. UNREGISTER: the same without dropping calls, for 60-240 s.
- SETFLOW: the state (and the value configured for that state), or the value.
- DIAL: the source phone rings, answers, then rings ``dest``; channels appear
  in CHANNELS.
- QUEUE add/del/clean: membership (INFO agents, QUEUE list).

Between requests the PBX lives on: calls arrive (internal, outbound, inbound,
into queues, into IVR menus), ring, are answered or not, and end; queue
callers wait and are picked up by free agents; peers flap between OK, LAGGED
and UNREACHABLE and sometimes restart; flows toggle; agents pause.
"""

from tringtui.sim.clock import ManualClock, wall_clock
from tringtui.sim.faults import MODES as FAULT_MODES
from tringtui.sim.faults import Faults, parse_latency_spec
from tringtui.sim.generate import SIZES, Mess
from tringtui.sim.keys import DEMO_KEYS, ApiKey, KeyFileError, load_keys, merge_keys
from tringtui.sim.model import AgentInfo, ChannelInfo, FlowInfo, PeerInfo, QueueInfo
from tringtui.sim.server import API_PATH, RequestRecord, SimServer
from tringtui.sim.state import SimulatedPBX

__all__ = [
    "API_PATH", "DEMO_KEYS", "FAULT_MODES", "SIZES", "AgentInfo", "ApiKey", "ChannelInfo", "Faults", "FlowInfo",
    "KeyFileError", "ManualClock", "Mess", "PeerInfo", "QueueInfo", "RequestRecord", "SimServer", "SimulatedPBX",
    "load_keys", "merge_keys", "parse_latency_spec", "wall_clock",
]
