//! A set of nodes as bits, small and `Copy`: what a firewall guards, and
//! the ways user data crossed in plaintext. Node indices go up to
//! [`NodeSet::CAPACITY`] (above the validation's node limit).

/// A set of node indices.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NodeSet([u64; 4]);

impl NodeSet {
    /// Nodes a set can hold (indices `0..CAPACITY`).
    pub const CAPACITY: usize = 256;

    /// Adds node `i` (ignored past the capacity).
    pub fn insert(&mut self, i: usize) {
        if i < Self::CAPACITY {
            self.0[i >> 6] |= 1 << (i & 63);
        }
    }

    /// Whether node `i` is in the set.
    #[inline]
    pub fn contains(&self, i: usize) -> bool {
        i < Self::CAPACITY && self.0[i >> 6] & (1 << (i & 63)) != 0
    }

    /// The nodes in the set, in index order.
    pub fn iter(self) -> impl Iterator<Item = usize> {
        (0..Self::CAPACITY).filter(move |&i| self.contains(i))
    }
}

#[cfg(test)]
mod tests {
    use super::NodeSet;

    #[test]
    fn holds_nodes_past_64_in_order() {
        let mut s = NodeSet::default();
        for i in [199, 3, 64, 63] {
            s.insert(i);
        }
        s.insert(NodeSet::CAPACITY);
        assert_eq!(s.iter().collect::<Vec<_>>(), [3, 63, 64, 199]);
        assert!(s.contains(64) && !s.contains(65) && !s.contains(NodeSet::CAPACITY));
    }
}
