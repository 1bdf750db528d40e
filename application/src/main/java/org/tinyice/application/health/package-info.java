/** Faults in force while the server keeps streaming: a full disk, a locked database, an unwritable file. */
package org.tinyice.application.health;
