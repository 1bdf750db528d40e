/**
 * Song history and listener statistics: the recorder that turns stream events into records, the
 * minute sampler, retention, and the history queries.
 */
package org.tinyice.application.history;
