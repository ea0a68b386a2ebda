"""scripts/gas_drops.py: the gas rows of drops that scripts/gas_report.py puts in docs/gas.md."""
from scripts import gas_drops


def test_gas_rows_cover_entering_drawing_claiming_and_refunding():
    table = {operation: gas for operation, gas, _ in gas_drops.rows()}
    assert set(table) == {
        "Drop entry, free, sent by the member", "Drop entry, free, through the forwarder",
        "Drop entry, paid (exact price into escrow)", f"Drop draw, {gas_drops.FEW} entries",
        f"Drop draw, {gas_drops.MANY} entries", "Drop claim of a win (free drop)", "Drop claim of a win (paid drop)",
        "Drop refund of a loss (paid drop)",
    }
    assert all(isinstance(gas, int) and 21_000 < gas < 1_000_000 for gas in table.values())
    assert table[f"Drop draw, {gas_drops.MANY} entries"] == table[f"Drop draw, {gas_drops.FEW} entries"]
