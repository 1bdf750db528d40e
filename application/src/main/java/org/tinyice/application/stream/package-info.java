/**
 * Sources and listeners: source sessions into a mount's ring, admitted listeners and their feeds,
 * fallbacks, file mounts, metadata updates, the server's counters.
 */
package org.tinyice.application.stream;
