package dev.gmsa.autograd;

import dev.gmsa.tensor.Tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Reverse-mode differentiation, micrograd style: order the graph behind an output so that every node
 * comes after its inputs, then walk that order backwards, running each node's backward exactly once.
 */
final class Tape {
    private Tape() {}

    static void backward(Var output, Tensor seed) {
        List<Var> order = topologicalOrder(output);
        output.accumulate(seed);
        for (int i = order.size() - 1; i >= 0; i--) {
            Var node = order.get(i);
            if (node.isLeaf()) continue; // leaves keep their gradient (it accumulates across calls)
            Tensor dy = node.grad;
            node.grad = null; // intermediate gradients are dropped as soon as they are used
            if (dy != null) node.backwardFn.run(dy);
        }
    }

    /**
     * Nodes reachable from {@code root} through inputs that require a gradient, each after all of its
     * inputs. An explicit stack instead of recursion: a long training graph must not overflow the Java stack.
     */
    static List<Var> topologicalOrder(Var root) {
        List<Var> order = new ArrayList<>();
        Set<Var> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Var> path = new ArrayDeque<>();
        Deque<int[]> nextInput = new ArrayDeque<>(); // per node on the path: which input to visit next
        seen.add(root);
        path.push(root);
        nextInput.push(new int[1]);
        while (!path.isEmpty()) {
            Var node = path.peek();
            int[] next = nextInput.peek();
            if (next[0] < node.inputs.length) {
                Var input = node.inputs[next[0]++];
                if (input.requiresGrad() && seen.add(input)) {
                    path.push(input);
                    nextInput.push(new int[1]);
                }
            } else {
                path.pop();
                nextInput.pop();
                order.add(node); // all of its inputs are already in the order
            }
        }
        return order;
    }
}
