"""Graph algorithms the analysis needs, iterative so deep graphs cannot overflow the stack."""

from __future__ import annotations

from collections.abc import Sequence


def strongly_connected(succ: Sequence[Sequence[int]], roots: Sequence[int] | None = None
                       ) -> tuple[list[list[int]], list[int]]:
    """Tarjan's components of the nodes reachable from `roots` (default: all), in topological
    order: a component comes before every component it has an edge to. `comp[v]` is -1 for
    nodes not reached."""
    n = len(succ)
    index = [-1] * n
    low = [0] * n
    on_stack = [False] * n
    comp = [-1] * n
    stack: list[int] = []
    comps: list[list[int]] = []
    counter = 0
    for root in range(n) if roots is None else roots:
        if index[root] != -1:
            continue
        work = [(root, 0)]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack[root] = True
        while work:
            v, k = work[-1]
            out = succ[v]
            if k < len(out):
                work[-1] = (v, k + 1)
                w = out[k]
                if index[w] == -1:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on_stack[w] = True
                    work.append((w, 0))
                elif on_stack[w] and index[w] < low[v]:
                    low[v] = index[w]
            else:
                work.pop()
                if work:
                    u = work[-1][0]
                    if low[v] < low[u]:
                        low[u] = low[v]
                if low[v] == index[v]:
                    members = []
                    while True:
                        w = stack.pop()
                        on_stack[w] = False
                        comp[w] = len(comps)
                        members.append(w)
                        if w == v:
                            break
                    comps.append(members)
    comps.reverse()  # Tarjan finds components in reverse topological order
    last = len(comps) - 1
    return comps, [last - c if c >= 0 else -1 for c in comp]


def breadth_first_order(succ: Sequence[Sequence[int]], root: int) -> list[int]:
    """A topological number for the component of each node reachable from `root`, assigned
    breadth first (Kahn); -1 for the others.

    Any topological order says "a node numbered lower cannot be reached from one numbered
    higher"; breadth-first numbering also keeps the numbers of a layered story close to its
    layers, so "everything numbered before X" is as small as it can be.
    """
    comps, comp = strongly_connected(succ, [root])
    count = len(comps)
    out: list[set[int]] = [set() for _ in range(count)]
    indegree = [0] * count
    for v, targets in enumerate(succ):
        if comp[v] < 0:
            continue
        for w in targets:
            a, b = comp[v], comp[w]
            if a != b and b not in out[a]:
                out[a].add(b)
                indegree[b] += 1
    order = [-1] * count
    queue = [comp[root]]
    head = 0
    while head < len(queue):
        c = queue[head]
        order[c] = head
        head += 1
        for d in sorted(out[c]):
            indegree[d] -= 1
            if indegree[d] == 0:
                queue.append(d)
    return [order[comp[v]] if comp[v] >= 0 else -1 for v in range(len(succ))]
