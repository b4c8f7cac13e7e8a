package dev.fileshare.storage;

/** What {@link PendingFile#commit} does when a file of the same name already exists. */
public enum WriteMode {
  /** Replace the existing file in one atomic step: readers see the old or the new, never a mix. */
  REPLACE,
  /** Refuse, leaving the existing file untouched. */
  NO_CLOBBER
}
