"""Minimum-cost flow on a small integer network: the solver under the rota planner."""

from __future__ import annotations

import heapq


class Graph:
    """A residual graph for successive-shortest-path min-cost flow (primal-dual)."""

    def __init__(self) -> None:
        self.adj: list[list[int]] = []
        self.to: list[int] = []
        self.cap: list[int] = []
        self.cost: list[int] = []
        self.unreached = 0

    def node(self) -> int:
        self.adj.append([])
        return len(self.adj) - 1

    def arc(self, u: int, v: int, cap: int, cost: int) -> int:
        """Add u → v and its residual twin; return the forward arc's index."""
        index = len(self.to)
        self.to += [v, u]
        self.cap += [cap, 0]
        self.cost += [cost, -cost]
        self.adj[u].append(index)
        self.adj[v].append(index + 1)
        return index

    def min_cost_flow(self, s: int, t: int, want: int) -> int:
        """Send up to ``want`` units from s to t at least cost; return the amount sent.

        Each phase runs Dijkstra on reduced costs to update the node potentials, then
        pushes along every path of zero reduced cost it can find, so the many equally
        cheap choices of a rota share one phase.  All original costs are non-negative,
        so zero potentials are a valid start.
        """
        n = len(self.adj)
        potential = [0] * n
        cap = self.cap
        # Larger than any path's reduced cost, so it can stand for "not reached".
        self.unreached = 1 + 2 * n * sum(abs(c) for c in self.cost)
        sent = 0
        while sent < want:
            dist = self._dijkstra(s, potential)
            if dist[t] == self.unreached:
                break
            limit = dist[t]
            for v in range(n):
                potential[v] += min(dist[v], limit)
            while sent < want:
                path = self._admissible_path(s, t, potential)
                if path is None:
                    break
                push = min(want - sent, *(cap[e] for e in path))
                for e in path:
                    cap[e] -= push
                    cap[e ^ 1] += push
                sent += push
        return sent

    def _dijkstra(self, s: int, potential: list[int]) -> list[int]:
        to, cap, cost, adj = self.to, self.cap, self.cost, self.adj
        dist = [self.unreached] * len(adj)
        dist[s] = 0
        heap = [(0, s)]
        while heap:
            d, u = heapq.heappop(heap)
            if d > dist[u]:
                continue
            pu = potential[u]
            for e in adj[u]:
                if cap[e]:
                    v = to[e]
                    nd = d + cost[e] + pu - potential[v]
                    if nd < dist[v]:
                        dist[v] = nd
                        heapq.heappush(heap, (nd, v))
        return dist

    def _admissible_path(self, s: int, t: int, potential: list[int]) -> list[int] | None:
        """A path of arcs with spare capacity and zero reduced cost, by iterative DFS."""
        to, cap, cost, adj = self.to, self.cap, self.cost, self.adj
        seen = [False] * len(adj)
        seen[s] = True
        stack: list[tuple[int, int]] = [(s, 0)]
        path: list[int] = []
        while stack:
            u, i = stack[-1]
            if u == t:
                return path
            edges = adj[u]
            pu = potential[u]
            while i < len(edges):
                e = edges[i]
                v = to[e]
                i += 1
                if cap[e] and not seen[v] and cost[e] + pu == potential[v]:
                    stack[-1] = (u, i)
                    seen[v] = True
                    stack.append((v, 0))
                    path.append(e)
                    break
            else:
                stack.pop()
                if path:
                    path.pop()
        return None
