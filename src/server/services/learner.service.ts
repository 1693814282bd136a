/**
 * Training as a worker meets it: her courses with what to do next, lessons, and
 * practice items whose reference comes back right after each answer with every
 * point's error in pixels. Exams live in `ExamService`; their references never leave
 * the server.
 */
import { checkAnnotation, type AnnotationData } from '../../core/annotation.js';
import { scoreGold } from '../../core/quality/gold-score.js';
import {
  cooldownLeft,
  isComplete,
  nextPracticeItem,
  pointErrors,
  retryAt,
  weakestPoints,
} from '../../core/training/index.js';
import { badRequest, notFound } from '../errors.js';
import type { CertificationRepository } from '../repositories/certification.repository.js';
import type { ProjectRepository } from '../repositories/project.repository.js';
import type { QualityRepository } from '../repositories/quality.repository.js';
import type { TrainingAttemptRepository } from '../repositories/training-attempt.repository.js';
import type { TrainingRepository } from '../repositories/training.repository.js';
import { requireRole, type Actor } from './access.js';
import type { Clock } from './clock.js';
import { templateOf } from './project.service.js';
import { assertCanReadCourse, assertCanTrain, type Course } from './training-access.js';
import { attemptSummary, courseTemplate, courseView, iso, itemView, lessonView } from './training-views.js';

export type NextStep =
  { kind: 'lesson'; lessonId: number } | { kind: 'practice'; itemId: number } | { kind: 'exam' } | { kind: 'done' };

export class LearnerService {
  constructor(
    private readonly training: TrainingRepository,
    private readonly attempts: TrainingAttemptRepository,
    private readonly certs: CertificationRepository,
    private readonly projects: ProjectRepository,
    private readonly quality: QualityRepository,
    private readonly clock: Clock,
  ) {}

  /**
   * "My training": every published course of her organisation with her certification,
   * exam state and next step, and the live projects with whether she may work on them.
   */
  async myTraining(actor: Actor) {
    requireRole(actor, 'worker', 'reviewer');
    const [courses, certs, allProjects] = await Promise.all([
      this.training.courses(actor.org_id, true),
      this.certs.ofUser(actor.id),
      this.projects.listForOrg(actor.org_id, false),
    ]);
    const certByTemplate = new Map(certs.map((c) => [c.template_id, c]));
    const live = allProjects.filter((p) => p.status === 'active');
    const projects = [];
    for (const p of live) {
      const templateId = templateOf(p).id;
      const standing = await this.quality.standing(p.id, actor.id);
      projects.push({
        id: p.id,
        name: p.name,
        templateId,
        certified: certByTemplate.get(templateId)?.status === 'active',
        suspended: standing?.status === 'suspended',
      });
    }
    const out = [];
    for (const c of courses) {
      const state = await this.state(actor, c);
      const cert = certByTemplate.get(c.template_id);
      const onTemplate = projects.filter((p) => p.templateId === c.template_id);
      out.push({
        ...courseView(c),
        certification: cert ? certView(cert) : null,
        exam: state.exam,
        practice: { total: state.practice.length, done: state.practice.filter((p) => p.best !== null).length },
        lessons: state.lessons.length,
        needed: onTemplate.length > 0,
        suspendedProjects: state.suspended,
        next: state.next,
      });
    }
    return { courses: out, projects, certifications: certs.map(certView) };
  }

  /** One course for a learner: lessons, practice items with her best scores, the exam and her weak points. */
  async course(actor: Actor, courseId: number) {
    const course = await this.training.course(courseId);
    assertCanReadCourse(actor, course);
    const template = courseTemplate(course);
    const state = await this.state(actor, course);
    const cert = await this.certs.get(actor.id, course.template_id);
    return {
      course: courseView(course),
      template,
      lessons: state.lessons.map((l) => ({ id: l.id, position: l.position, title: l.title })),
      practice: state.practice,
      exam: state.exam,
      certification: cert ? certView(cert) : null,
      suspendedProjects: state.suspended,
      weakPoints: state.weakPoints.map((w) => ({
        ...w,
        id: template.points[w.index]?.id,
        name: template.points[w.index]?.name,
      })),
      next: state.next,
    };
  }

  async lesson(actor: Actor, lessonId: number) {
    const lesson = await this.training.lesson(lessonId);
    if (!lesson) throw notFound('lesson');
    const course = await this.training.course(lesson.course_id);
    assertCanReadCourse(actor, course);
    const all = await this.training.lessons(course.id);
    const i = all.findIndex((l) => l.id === lesson.id);
    return {
      ...lessonView(lesson),
      courseTitle: course.title,
      index: i + 1,
      total: all.length,
      previousId: all[i - 1]?.id ?? null,
      nextId: all[i + 1]?.id ?? null,
    };
  }

  /** A practice item's image size and its neighbours; never its reference before an answer. */
  async practiceItem(actor: Actor, itemId: number) {
    const { item, course } = await this.practiceItemOf(actor, itemId);
    const all = await this.training.usableItems(course.id, 'practice');
    const i = all.findIndex((x) => x.id === item.id);
    return {
      ...itemView(item),
      index: i + 1,
      total: all.length,
      nextId: all[i + 1]?.id ?? null,
      template: courseTemplate(course),
      courseTitle: course.title,
      /** The reference was made by a model (the demo's): the page says so. */
      modelMade: item.source === 'model',
    };
  }

  /**
   * Scores a practice answer and returns the reference with every point's error in
   * pixels, named, so the page can draw and list them.
   */
  async answerPractice(actor: Actor, itemId: number, data: AnnotationData) {
    const { item, course } = await this.practiceItemOf(actor, itemId);
    const template = courseTemplate(course);
    const problems = checkAnnotation(template, item.width, item.height, data);
    if (problems.length > 0) throw badRequest(problems[0].code, problems.map((p) => p.message).join('; '), problems);
    const reference = JSON.parse(item.reference!) as AnnotationData;
    const gold = scoreGold(data, reference, template);
    const report = pointErrors(data, reference, template);
    const complete = isComplete(data, reference, template);
    const now = this.clock.now();
    await this.attempts.insertPractice({
      course_id: course.id,
      item_id: item.id,
      user_id: actor.id,
      attempt_id: null,
      kind: 'practice',
      data: JSON.stringify(data),
      score: gold.score,
      complete: complete ? 1 : 0,
      point_px: JSON.stringify(report.errors.filter((e) => e.kind === 'offset').map((e) => [e.index, e.px])),
      created_at: now,
      updated_at: now,
    });
    return {
      itemId: item.id,
      score: Math.round(gold.score * 1000) / 1000,
      complete,
      feedback: gold.feedback,
      reference,
      errors: report.errors,
      meanPx: report.meanPx,
      missedInstances: report.missedInstances,
      extraInstances: report.extraInstances,
    };
  }

  // --- helpers --------------------------------------------------------------------

  private async practiceItemOf(actor: Actor, itemId: number) {
    const item = await this.training.item(itemId);
    // Exam items answer exactly like missing ones here: this route never shows a reference of theirs.
    if (!item || item.kind !== 'practice' || !item.active || item.reference === null) throw notFound('training_item');
    const course = await this.training.course(item.course_id);
    assertCanTrain(actor, course);
    return { item, course };
  }

  /** Her lessons, practice scores, exam state, weak points and next step in one course. */
  private async state(actor: Actor, course: Course) {
    const now = this.clock.now();
    const [lessons, items, answers, last, open, examItems, cert] = await Promise.all([
      this.training.lessons(course.id),
      this.training.usableItems(course.id, 'practice'),
      this.attempts.practiceAnswers(actor.id, course.id),
      this.attempts.lastFinished(actor.id, course.id),
      this.attempts.openAttempt(actor.id, course.id),
      this.training.usableItems(course.id, 'exam'),
      this.certs.get(actor.id, course.template_id),
    ]);
    const best = new Map<number, number>();
    const tries = new Map<number, number>();
    for (const a of answers) {
      best.set(a.item_id, Math.max(best.get(a.item_id) ?? 0, a.score));
      tries.set(a.item_id, (tries.get(a.item_id) ?? 0) + 1);
    }
    const practice = items.map((i) => ({
      ...itemView(i),
      best: best.has(i.id) ? Math.round(best.get(i.id)! * 1000) / 1000 : null,
      tries: tries.get(i.id) ?? 0,
    }));
    const cooldownMs = course.cooldown_minutes * 60_000;
    const finished = last ? { status: last.status as 'passed' | 'failed', finishedAt: last.finished_at! } : null;
    const until = retryAt(finished, cooldownMs);
    const exam = {
      items: examItems.length,
      passAccuracy: course.pass_accuracy,
      passCompleteness: course.pass_completeness,
      cooldownMinutes: course.cooldown_minutes,
      openAttemptId: open && open.expires_at > now ? open.id : null,
      last: last ? attemptSummary(last) : null,
      retryAt: until !== null && until > now ? iso(until) : null,
      cooldownLeftMs: cooldownLeft(finished, cooldownMs, now),
    };
    const weakPoints = weakestPoints(
      answers.slice(0, 50).map((a) => (a.point_px ? (JSON.parse(a.point_px) as [number, number][]) : [])),
      5,
    );
    const practiceNext = nextPracticeItem(practice);
    const suspended = await this.suspendedOn(actor, course.template_id);
    // A suspended worker re-certifies through the exam, so she is sent to it like a newcomer.
    const certified = cert?.status === 'active' && suspended.length === 0;
    let next: NextStep;
    if (answers.length === 0 && lessons.length > 0 && !certified) next = { kind: 'lesson', lessonId: lessons[0].id };
    else if (practiceNext !== null && !certified) next = { kind: 'practice', itemId: practiceNext };
    else if (!certified && examItems.length > 0) next = { kind: 'exam' };
    else if (practiceNext !== null) next = { kind: 'practice', itemId: practiceNext };
    else next = { kind: 'done' };
    return { lessons, practice, exam, weakPoints, next, suspended };
  }

  /** Her organisation's projects on this template where she is suspended. */
  private async suspendedOn(actor: Actor, templateId: string) {
    const out: { id: number; name: string }[] = [];
    for (const p of await this.projects.listForOrg(actor.org_id, false)) {
      if (templateOf(p).id !== templateId) continue;
      if ((await this.quality.standing(p.id, actor.id))?.status === 'suspended') out.push({ id: p.id, name: p.name });
    }
    return out;
  }
}

function certView(c: {
  template_id: string;
  level: number;
  status: 'active' | 'revoked';
  certified_at: number;
  attempt_id: number | null;
}) {
  return {
    templateId: c.template_id,
    level: c.level,
    status: c.status,
    certifiedAt: iso(c.certified_at),
    byExam: c.attempt_id !== null,
  };
}
