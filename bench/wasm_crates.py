"""Code bytes of a wasm module per crate, from its function names.

Used by bench/wasm-size --by-crate on a wasm-opt -g build (names kept). Reads
the import section (to count imported functions), the code section (the size
of every function body) and the "name" custom section, and groups each body
by the first crate in its (demangled) name. Generic code of core/alloc/std is
credited to the first of our crates or a UI crate named in it, when there is
one. Nameless functions (merged by wasm-opt) are "?".
"""
import collections
import re
import sys

OURS = r"(infraboard_sim|infraboard|tachys|reactive_graph|leptos|serde_json|serde_core|plotters|web_sys|js_sys|wasm_bindgen)"


def leb(data, i):
    result = shift = 0
    while True:
        byte = data[i]
        i += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return result, i


def functions(data):
    """(body sizes in order, {function index: name}, number of imported functions)."""
    i, imported, bodies, names = 8, 0, [], {}
    while i < len(data):
        section = data[i]
        size, i = leb(data, i + 1)
        end = i + size
        if section == 2:  # imports
            count, j = leb(data, i)
            for _ in range(count):
                for _ in range(2):  # module and field names
                    length, j = leb(data, j)
                    j += length
                kind = data[j]
                j += 1
                if kind == 0:
                    _, j = leb(data, j)
                    imported += 1
                elif kind == 1:  # table: type, limits
                    j += 1
                    flags, j = leb(data, j)
                    _, j = leb(data, j)
                    if flags & 1:
                        _, j = leb(data, j)
                elif kind == 2:  # memory: limits
                    flags, j = leb(data, j)
                    _, j = leb(data, j)
                    if flags & 1:
                        _, j = leb(data, j)
                elif kind == 3:  # global: type, mutability
                    j += 2
        elif section == 10:  # code
            count, j = leb(data, i)
            for _ in range(count):
                length, j = leb(data, j)
                bodies.append(length)
                j += length
        elif section == 0:  # custom
            length, j = leb(data, i)
            if data[j:j + length] == b"name":
                j += length
                while j < end:
                    sub = data[j]
                    sub_size, j = leb(data, j + 1)
                    if sub == 1:  # function names
                        count, k = leb(data, j)
                        for _ in range(count):
                            index, k = leb(data, k)
                            length, k = leb(data, k)
                            names[index] = data[k:k + length].decode("utf8", "replace")
                            k += length
                    j += sub_size
        i = end
    return bodies, names, imported


def crate_of(name):
    match = re.match(r"<?&?(?:mut )?(?:dyn )?([a-z_0-9]+)", name)
    crate = match.group(1) if match else "?"
    if crate in ("core", "alloc", "std"):
        inner = re.findall(OURS, name)
        if inner:
            crate += "<" + inner[0] + ">"
    return crate


def main():
    bodies, names, imported = functions(open(sys.argv[1], "rb").read())
    by_crate = collections.Counter()
    for k, size in enumerate(bodies):
        by_crate[crate_of(names.get(imported + k, "?"))] += size
    total = sum(bodies)
    print(f"code {total} bytes in {len(bodies)} functions")
    for crate, size in by_crate.most_common(25):
        print(f"{size:9d} {100 * size / total:5.1f}%  {crate}")


main()
