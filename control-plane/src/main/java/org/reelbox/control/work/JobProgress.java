package org.reelbox.control.work;

/**
 * How far a job is, for the video API. The total grows once split has said how many chunks there
 * are (the encode and package tasks exist from then on).
 *
 * @param jobState the job's state
 * @param tasksDone tasks that succeeded
 * @param tasksRunning tasks leased to workers now
 * @param tasksTotal tasks known so far
 */
public record JobProgress(JobState jobState, int tasksDone, int tasksRunning, int tasksTotal) {}
