"""The SP4N-LAPOR! bridge: approved drafts out (HTTP API or export batch), ticket status back.

`client` holds the transports, `mapping` the one wire format, `sla` LAPOR!'s working-day clocks;
the exactly-once state machine lives in `warehouse.lapor`.
"""
