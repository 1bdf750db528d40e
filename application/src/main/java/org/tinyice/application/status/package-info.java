/**
 * What the server reports: Icecast's status (StatusService) and the dashboard's live statistics.
 */
package org.tinyice.application.status;
