/**
 * What an operator changes on live mounts and their settings: Icecast's admin commands
 * (MountAdministrationService) and the dashboard's mount control and settings editor.
 */
package org.tinyice.application.admin;
