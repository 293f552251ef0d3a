/**
 * The transcoding work protocol between the control plane (resource manager) and encoder workers:
 * what a worker says about itself, what a task assignment carries, what each task type reads and
 * produces, the failure codes, and where in the blob store every intermediate and final object
 * goes. Both sides depend on these records only; the full contract is {@code docs/transcoding.md}.
 */
package org.reelbox.common.work;
