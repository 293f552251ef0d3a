package org.reelbox.control.store;

/**
 * A change to an account, for {@link MetadataStore#updateUser}: each null field stays as it is,
 * each other field replaces the stored value, all in one statement.
 *
 * <p>Start from {@link #NONE} and add fields with the {@code with…} methods.
 *
 * @param role a new role, or null
 * @param passwordHash a new bcrypt hash from {@link PasswordHasher#hash} (the store never sees a
 *     password), or null
 * @param disabled true to disable the account (keeping the first {@code disabledAt} if it already
 *     is), false to enable it, or null
 */
public record UserPatch(UserRole role, String passwordHash, Boolean disabled) {
  /** The patch that changes nothing. */
  public static final UserPatch NONE = new UserPatch(null, null, null);

  public UserPatch {
    if (passwordHash != null && (passwordHash.isBlank() || passwordHash.length() > 100)) {
      throw new IllegalArgumentException(
          "passwordHash must be 1 to 100 non-blank characters, got " + passwordHash.length());
    }
  }

  public UserPatch withRole(UserRole newRole) {
    return new UserPatch(newRole, passwordHash, disabled);
  }

  public UserPatch withPasswordHash(String newPasswordHash) {
    return new UserPatch(role, newPasswordHash, disabled);
  }

  public UserPatch withDisabled(boolean newDisabled) {
    return new UserPatch(role, passwordHash, newDisabled);
  }

  /** Whether the patch changes nothing. */
  public boolean isEmpty() {
    return role == null && passwordHash == null && disabled == null;
  }
}
