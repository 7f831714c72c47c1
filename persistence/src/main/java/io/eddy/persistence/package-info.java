/**
 * Eddy's storage layer on LevelDB: the order-preserving key encoding ({@link io.eddy.persistence.KeyEncoding}),
 * partition hashing ({@link io.eddy.persistence.PartitionHash}), the item store's key layout
 * ({@link io.eddy.persistence.StorageKeys}), the binary item format ({@link io.eddy.persistence.ItemCodec})
 * and the item store itself ({@link io.eddy.persistence.ItemStore}), the materialised state of the
 * partitions, rebuilt from the journal.
 */
package io.eddy.persistence;
