"""Generate one file of N items of a construct that once cost gavel the square of its size.

Usage: scaling-gen.py KIND N OUTDIR  (writes OUTDIR/m.py or OUTDIR/m.rs and prints OUTDIR)
"""
import sys, os
kind, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
def w(ext, s):
    os.makedirs(out, exist_ok=True)
    open(f"{out}/m.{ext}", "w").write(s)
if kind == "cfgglob": w("rs", "".join(f'#[cfg(feature = "f{i}")]\npub use m{i}::*;\n' for i in range(n)))
elif kind == "glob": w("rs", "".join(f'use m{i}::*;\n' for i in range(n)))
elif kind == "evalline": w("py", "eval(x);" * n + "\n")
elif kind == "vec": w("rs", "fn f() { let v = " + "vec![" * n + "1" + "]" * n + "; }\n")
elif kind == "nesteval": w("py", "eval(" * n + "x" + ")" * n + "\n")
elif kind == "blocks": w("rs", "fn f() " + "{" * n + "}" * n + "\n")
elif kind == "bigpy": w("py", "import os\n" + "".join(f"x{i} = os.getcwd()\ndef f{i}(a):\n    return x{i} + eval(a)\n" for i in range(n)))
elif kind == "pyparen": w("py", "y = " + "(" * n + "1" + ")" * n + "\n")
elif kind == "chain": w("rs", "fn f() { x" + ".unwrap()" * n + "; }\n")
elif kind == "pychain": w("py", "x" + ".strip()" * n + "\n")
elif kind == "pyif": w("py", "".join("    " * i + "if x:\n" for i in range(n)) + "    " * n + "eval(x)\n")
elif kind == "macros": w("rs", "fn f() {\n" + "".join(f'    println!("{{}}", x{i}.unwrap());\n' for i in range(n)) + "}\n")
elif kind == "pyimports": w("py", "".join(f"import m{i}\nm{i}.f()\n" for i in range(n)))
elif kind == "rsuses": w("rs", "".join(f"use a{i}::b{i}::c{i};\n" for i in range(n)) + "fn f() {" + "".join(f" c{i}();" for i in range(n)) + " }\n")
elif kind == "suppr": w("py", "".join(f"eval(x)  # gavel: allow(py.eval) reason {i}\n" for i in range(n)))
elif kind == "fix": w("py", "import subprocess\n" + "".join(f"subprocess.run(c{i}, shell=True)\n" for i in range(n)))
elif kind == "closures": w("rs", "fn f() { let g = " + "|x| " * n + "x; }\n")
elif kind == "pylambda": w("py", "g = " + "lambda x: " * n + "x\n")
elif kind == "pystr": w("py", "s = '" + "a" * (n*100) + "'\neval(s)\n")
elif kind == "rsmod": w("rs", "".join(f"mod m{i} {{ use super::*; fn g() {{ x.unwrap(); }} }}\n" for i in range(n)))
elif kind == "pyclass": w("py", "".join(f"class C{i}:\n    def m(self):\n        return eval(self)\n" for i in range(n)))
elif kind == "pystar": w("py", "".join(f"from m{i} import *\n" for i in range(n)) + "run(x)\n")
print(out)
