import json
import sqlite3
import sys

db = sqlite3.connect(":memory:")
db.execute("create table t (x)")
db.executemany("insert into t values (?)", [(1,), (2,), (3,)])
total = db.execute("select sum(x) from t").fetchone()[0]
print(json.dumps({"python": list(sys.version_info[:2]), "sum": total}))
