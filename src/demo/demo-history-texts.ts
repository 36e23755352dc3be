/**
 * Long because it is data only (no logic). The words of the demo school's past year: small templates, filled in by the plan with the demo
 * school's own (fictional) pupils, staff and made-up parents. Written the way the seed schools'
 * policies ask: facts apart from opinion, the child's words in CAPITALS, adults' words in
 * quotation marks, full names. Placeholders: {pupil} the pupil's first name, {other} a linked
 * pupil's, {recorder} who writes it, {teacher} the class teacher, {parent} a parent or carer with
 * who they are, {parentName} the same without, {place} where, {time} when (HH:MM).
 */

/** A strand of concerns a pupil's year follows; it decides categories, words and follow-ups. */
export type Theme =
  | 'attendance'
  | 'behaviour'
  | 'bullying'
  | 'wellbeing'
  | 'send-medical'
  | 'safeguarding'
  | 'online';

/** One kind of concern, with variants of each part of the form. */
export interface Scenario {
  readonly theme: Theme;
  readonly categories: readonly string[];
  readonly places: readonly string[];
  readonly facts: readonly string[];
  readonly childsWords?: readonly string[];
  readonly adultsWords?: readonly string[];
  /** A leading question asked by mistake, noted as such. */
  readonly leadingQuestionNote?: readonly string[];
  readonly opinion?: readonly string[];
  readonly actionTaken: readonly string[];
  readonly actionRequired: readonly string[];
  readonly agencies?: readonly string[];
  /** A second pupil on the record, and how they are involved. */
  readonly linked?: 'alleged-perpetrator' | 'victim' | 'witness' | 'sibling' | 'involved';
  /** Marks seen, for categories that offer the body map. */
  readonly bodyMap?: readonly {
    readonly region: string;
    readonly side: string;
    readonly laterality: string;
    readonly description: string;
  }[];
  /** Reported after school hours (a parent's call, something online at the weekend). */
  readonly outOfHours?: boolean;
}

export const SCENARIOS: readonly Scenario[] = [
  // Attendance and punctuality.
  {
    theme: 'attendance',
    categories: ['attendance'],
    places: ['School office', 'Main entrance'],
    facts: [
      '{pupil} has been absent for three days this week with no reason given. The office rang home each morning at 09:15 and left messages; no one has called back.',
      '{pupil} was absent today, the fifth unexplained absence this half term. {recorder} rang {parent} at {time}; there was no answer and the voicemail was full.',
      '{parent} rang at {time} to say {pupil} will be off for the rest of the week "with a bug". This is the fourth time this term that a whole week has been reported this way.',
    ],
    adultsWords: ['{parentName} said "He just doesn\'t want to come in, I can\'t make him."'],
    opinion: [
      'In my opinion the pattern (Mondays and Fridays) suggests something other than illness.',
    ],
    actionTaken: [
      'First-day absence call made; DSL informed by email.',
      'Message left at home; attendance lead told.',
    ],
    actionRequired: [
      'Attendance lead to meet the family.',
      'Office to keep ringing each morning and log the calls.',
    ],
  },
  {
    theme: 'attendance',
    categories: ['punctuality'],
    places: ['Main entrance', 'School office'],
    facts: [
      '{pupil} arrived at {time}, 50 minutes after registration, the sixth late arrival in two weeks. {pupil} came in alone and said nothing about why.',
      '{pupil} was brought in late at {time} by an older sibling, who said their mum was "still asleep". {pupil} had not had breakfast.',
    ],
    childsWords: ['I HAD TO WAIT FOR MY BROTHER', 'NOBODY WOKE ME UP'],
    actionTaken: ['Breakfast given in the office. Late mark recorded.'],
    actionRequired: ['Class teacher to speak with the family at pick-up.'],
  },
  {
    theme: 'attendance',
    categories: ['attendance', 'parent-conversations'],
    places: ['Playground gate', 'School office'],
    facts: [
      'At pick-up {parent} told {recorder} that {pupil} has been refusing to come to school because of "tummy aches" every morning. {parentName} asked for help.',
    ],
    adultsWords: ['{parentName} said "I\'ve tried everything, she cries every morning."'],
    actionTaken: ['Listened, reassured, and said the attendance lead would be in touch.'],
    actionRequired: ['Attendance lead to arrange a meeting; consider a school nurse referral.'],
  },
  // Behaviour.
  {
    theme: 'behaviour',
    categories: ['behaviour'],
    places: ['Classroom', 'Dining hall', 'Corridor by the library'],
    facts: [
      'During the maths lesson at {time} {pupil} threw a chair across the room after being asked to finish a task. No one was hurt. {pupil} then left the room and was found in the toilets by {recorder}.',
      'At lunch {pupil} pushed another pupil off the bench and swore at the midday supervisor. They were taken to the quiet room and calmed within ten minutes.',
      '{pupil} refused to come in from the playground at {time} and ran around the field for 20 minutes. Two adults stayed nearby until they came in.',
    ],
    childsWords: ["I HATE MATHS I CAN'T DO IT", 'HE STARTED IT'],
    opinion: ['I think {pupil} was frightened of getting the work wrong in front of others.'],
    actionTaken: ['Pupil calmed in the quiet room; class teacher told.'],
    actionRequired: ['Class teacher to ring home today.'],
  },
  {
    theme: 'behaviour',
    categories: ['behaviour', 'team-teach-incident'],
    places: ['Classroom', 'Hall', 'Playground'],
    facts: [
      'At {time} {pupil} was kicking out at other pupils in the line. {recorder} and a colleague used a Team Teach single-elbow hold for about two minutes to move {pupil} to the corridor, away from the others. No one was hurt; the hold was released as soon as {pupil} was calm.',
      'In the hall at {time} {pupil} was hitting a classmate and did not stop when asked. {recorder} used a Team Teach friendly hold for under a minute. No injuries to anyone.',
    ],
    adultsWords: [
      '{recorder} said "I\'m going to help you to the corridor now so everyone is safe."',
    ],
    actionTaken: ['Restraint logged; parent to be told the same day.'],
    actionRequired: ["Review the pupil's behaviour plan."],
  },
  // Bullying and peer relationships.
  {
    theme: 'bullying',
    categories: ['bullying'],
    places: ['Playground', 'Cloakroom', 'Field'],
    linked: 'alleged-perpetrator',
    facts: [
      'At {time} {pupil} came to {recorder} in tears and said {other} had taken their snack again and pushed them against the wall. A lunchtime supervisor saw the pushing.',
      '{pupil} told {recorder} that {other} has been calling them names every day this week and telling others not to play with them.',
    ],
    childsWords: ['HE SAYS NOBODY LIKES ME', 'SHE TOOK IT AND LAUGHED'],
    opinion: ['{pupil} seemed frightened rather than angry.'],
    actionTaken: ['Spoke with both pupils separately; class teacher told.'],
    actionRequired: ['Class teacher to speak with both families.'],
  },
  {
    theme: 'bullying',
    categories: ['bullying', 'online-safety'],
    places: ['Classroom', 'At home (reported in school)'],
    linked: 'alleged-perpetrator',
    facts: [
      '{pupil} showed {recorder} messages sent through a game\'s chat at the weekend in which {other} called them names and said they would be "got" at school.',
    ],
    childsWords: ["I DON'T WANT TO GO OUT AT PLAY"],
    actionTaken: ['Screenshots not taken by staff; pupil told not to delete the messages.'],
    actionRequired: ['DSL to contact both families.'],
    outOfHours: true,
  },
  {
    theme: 'bullying',
    categories: ['peer-on-peer-abuse'],
    places: ['Toilets by the hall', 'Field'],
    linked: 'alleged-perpetrator',
    facts: [
      'At {time} {pupil} told {recorder} that {other} had pulled down their trousers in front of others in the toilets and that other pupils laughed.',
    ],
    childsWords: ['EVERYONE SAW AND THEY LAUGHED'],
    actionTaken: ['Pupil kept with a trusted adult; DSL told in person at once.'],
    actionRequired: ['DSL to decide next steps today.'],
  },
  {
    theme: 'bullying',
    categories: ['racial-incidents', 'bullying'],
    places: ['Playground', 'Dining hall'],
    linked: 'alleged-perpetrator',
    facts: [
      'At lunch {other} said a racist word to {pupil} and told them to "go back home". A midday supervisor heard it and brought both pupils to {recorder}.',
    ],
    childsWords: ['HE SAID IT AGAIN EVEN WHEN I ASKED HIM TO STOP'],
    actionTaken: ['Both pupils spoken to; incident logged as a racist incident.'],
    actionRequired: ['Head teacher and DSL to be told; parents of both pupils to be contacted.'],
  },
  // Well-being and mental health.
  {
    theme: 'wellbeing',
    categories: ['well-being'],
    places: ['Classroom', 'Library'],
    facts: [
      '{pupil} has been very quiet all week, sitting alone at break. Today {pupil} put their head on the desk and cried during reading. When {recorder} asked what was wrong, {pupil} said their grandad was in hospital.',
      '{pupil} told {recorder} that they cannot sleep because of worrying about their mum, who is "always sad now".',
    ],
    childsWords: ["I'M WORRIED ALL THE TIME", "I DON'T WANT TO TALK ABOUT IT"],
    actionTaken: ['Time with the learning mentor arranged for this afternoon.'],
    actionRequired: ['Learning mentor to check in weekly.'],
  },
  {
    theme: 'wellbeing',
    categories: ['mental-health'],
    places: ["Learning mentor's room", 'Classroom'],
    facts: [
      'In a check-in with {recorder} at {time}, {pupil} said they have been having "scary thoughts" at night and feels sick before school every day.',
    ],
    childsWords: ["MY HEAD WON'T STOP"],
    leadingQuestionNote: [
      'I asked "Is someone at home upsetting you?" — a leading question; I then asked {pupil} to tell me more in their own words.',
    ],
    actionTaken: ['DSL told; parent to be contacted.'],
    actionRequired: ["Consider a referral to CAMHS with the parent's agreement."],
  },
  {
    theme: 'wellbeing',
    categories: ['mental-health', 'self-harm'],
    places: ['Classroom', 'PE changing area'],
    facts: [
      "While changing for PE at {time}, {recorder} saw several thin scratches on {pupil}'s left forearm. When asked how they happened, {pupil} pulled down their sleeve and said nothing.",
    ],
    bodyMap: [
      {
        region: 'lower arm',
        side: 'front',
        laterality: 'left',
        description: 'Four thin parallel scratches, about 4 cm long, red, not bleeding.',
      },
    ],
    actionTaken: ['DSL told in person at once; pupil stayed with the learning mentor.'],
    actionRequired: ['DSL to speak with the pupil and the parent today.'],
    agencies: ['nhs-camhs'],
  },
  // SEND and medical.
  {
    theme: 'send-medical',
    categories: ['special-educational-needs'],
    places: ['Classroom', 'SENCO office'],
    facts: [
      '{pupil} became very distressed when the timetable changed for the assembly at {time}, covering their ears and rocking. It took 25 minutes in the calm corner to settle.',
      '{parent} told {recorder} that {pupil} is struggling with reading at home and gets upset; {parentName} asked whether {pupil} could be assessed.',
    ],
    actionTaken: ['Visual timetable updated; SENDCo told.'],
    actionRequired: ["SENDCo to review the pupil's support plan."],
  },
  {
    theme: 'send-medical',
    categories: ['education-health-care-plan'],
    places: ['SENCO office'],
    facts: [
      "Annual review of {pupil}'s EHCP held with {parent}. {parentName} said the extra adult support at lunch is working but mornings are still hard.",
    ],
    actionTaken: ['Review notes typed up.'],
    actionRequired: ['SENDCo to send the review paperwork to the local authority.'],
  },
  {
    theme: 'send-medical',
    categories: ['medical'],
    places: ['School office', 'Playground'],
    facts: [
      '{pupil} said they felt dizzy at {time} and looked pale. A first aider took them to the office; {parent} collected them at 14:00. This is the third time this month.',
      "{pupil}'s inhaler was out of date when needed at {time}. The office rang {parent}, who brought a new one within the hour.",
    ],
    actionTaken: ['First aid given; parent contacted.'],
    actionRequired: ['Office to update the medical care plan.'],
  },
  {
    theme: 'send-medical',
    categories: ['medical', 'care-plan'],
    places: ['School office'],
    facts: [
      "Meeting with {parent} and the school nurse to write {pupil}'s care plan for epilepsy. Rescue medication is kept in the office and two members of staff are trained.",
    ],
    actionTaken: ['Care plan drafted.'],
    actionRequired: ['Share the care plan with all staff who teach {pupil}.'],
    agencies: ['school-nurse'],
  },
  // Safeguarding and child protection.
  {
    theme: 'safeguarding',
    categories: ['child-protection'],
    places: ['Classroom', 'Cloakroom'],
    facts: [
      'At {time} {recorder} saw a bruise on {pupil}\'s upper left arm as {pupil} took off their jumper. When asked "Tell me what happened to your arm", {pupil} said their mum\'s boyfriend grabbed them when they would not go to bed.',
    ],
    childsWords: ['HE GRABBED ME HARD AND IT HURT', "I'M NOT ALLOWED TO SAY"],
    bodyMap: [
      {
        region: 'upper arm',
        side: 'back',
        laterality: 'left',
        description: 'Bruise about 3 cm across, purple-yellow, oval, like fingertips.',
      },
    ],
    actionTaken: ['DSL told in person at once. Pupil not questioned further.'],
    actionRequired: ["DSL to contact children's social care today."],
    agencies: ['social-care-mash'],
  },
  {
    theme: 'safeguarding',
    categories: ['safeguarding'],
    places: ['Classroom', 'Breakfast club'],
    facts: [
      '{pupil} came to school in the same clothes for the third day, smelling strongly of smoke, and ate two breakfasts at breakfast club. {pupil} said there was "no food in the cupboard".',
      '{pupil} was not collected at the end of the day. {recorder} rang {parent} four times from 15:30; {pupil} was collected at 17:10 by a neighbour, who said {parentName} was "not well".',
    ],
    childsWords: ["THERE'S NO FOOD IN THE CUPBOARD", 'MUM SLEEPS A LOT'],
    opinion: ["I am worried that {pupil}'s basic needs are not being met at home."],
    actionTaken: ['Pupil fed; DSL told.'],
    actionRequired: ['DSL to consider an early help assessment.'],
  },
  {
    theme: 'safeguarding',
    categories: ['domestic-violence'],
    places: ['School office'],
    facts: [
      "Police notification (Operation Encompass) received at {time}: police attended {pupil}'s home last night after a report of shouting and a door being broken. {pupil} was at home at the time.",
    ],
    actionTaken: [
      'Class teacher told to be available for {pupil} today; no questions to be asked.',
    ],
    actionRequired: ['DSL to check in with {pupil} and record anything said.'],
    agencies: ['police'],
  },
  {
    theme: 'safeguarding',
    categories: ['child-in-need'],
    places: ['Meeting room'],
    facts: [
      'Child in need review meeting for {pupil} with the social worker and {parent}. The plan continues: family support worker twice a week, {pupil} to attend breakfast club daily.',
    ],
    actionTaken: ["School's report shared at the meeting."],
    actionRequired: ['DSL to send attendance figures to the social worker every two weeks.'],
    agencies: ['social-care-mash'],
  },
  {
    theme: 'safeguarding',
    categories: ['caf-level-2'],
    places: ['Meeting room'],
    facts: [
      'Team around the family meeting with {parent}: housing problems and money worries. {parentName} agreed to an early help plan.',
    ],
    actionTaken: ['Early help plan started.'],
    actionRequired: ['Learning mentor to lead the plan; review in six weeks.'],
    agencies: ['early-help'],
  },
  {
    theme: 'safeguarding',
    categories: ['looked-after-child'],
    places: ['Meeting room'],
    facts: [
      "Personal education plan meeting for {pupil} with the virtual school and {pupil}'s foster carer. {pupil} is settled in the placement; reading is the priority.",
    ],
    actionTaken: ['PEP targets agreed.'],
    actionRequired: ['Class teacher to update the PEP targets at half term.'],
  },
  // Online safety.
  {
    theme: 'online',
    categories: ['online-safety'],
    places: ['Computing suite', 'Classroom'],
    facts: [
      '{pupil} told {recorder} that an adult {pupil} does not know has been messaging them in a game and asked for a photo and their address.',
      'During computing at {time} {pupil} told the class they watch videos at night that are "for grown-ups" and that one scared them.',
    ],
    childsWords: [
      'HE SAID NOT TO TELL MY MUM',
      "IT WAS SCARY AND I COULDN'T STOP THINKING ABOUT IT",
    ],
    actionTaken: ['DSL told in person; pupil reassured they were right to tell.'],
    actionRequired: ['DSL to speak with the parent today.'],
  },
  {
    theme: 'online',
    categories: ['online-safety', 'prevent'],
    places: ['Classroom'],
    facts: [
      'In a discussion at {time} {pupil} repeated views from online videos about a group of people being "the enemy" and said they watch a channel every night with an older cousin.',
    ],
    actionTaken: ['DSL told the same day.'],
    actionRequired: ['DSL to consider whether a Prevent referral is needed.'],
  },
];

/** Follow-up texts, keyed by what the action is. */
export const ACTION_TEXTS = {
  readAndReviewed: [
    'Read and reviewed. Spoke with {recorder}; no further questions for now.',
    "Record read. Checked the pupil's chronology: first concern of this kind.",
    'Reviewed with the deputy DSL. Keep under review; class teacher to share any further worries.',
  ],
  talkWithPupil: [
    'Spoke with {pupil} in the learning mentor\'s room. {pupil} said things were "a bit better" and named two adults to go to.',
    'Check-in with {pupil}: relaxed and chatty, said play times are fine now.',
    'Met {pupil} with the class teacher. {pupil} repeated the account without leading questions and added nothing new.',
  ],
  callParent: [
    'Rang {parent}. {parentName} knew about the worry and is glad school is involved.',
    'Rang {parent} and explained what happened. {parentName} will talk with {pupil} tonight.',
    'Rang {parent}: no answer. Left a message asking for a call back.',
  ],
  callProfessional: [
    'Rang the school nurse for advice; nurse will see {pupil} next week.',
    'Spoke with the allocated social worker, who will visit this week.',
    "Rang the family support worker to share today's concern.",
  ],
  meeting: [
    'Meeting with {parent}, class teacher and DSL. Agreed a plan of weekly check-ins and a review in four weeks.',
    'Team around the family meeting held; actions agreed and shared with the family.',
    'Review meeting with {parent}: things have improved; the plan stays as it is.',
  ],
  referral: [
    'Referral made by phone and followed up with the online form.',
    "Referral sent with the parent's agreement.",
  ],
  referralDecision: [
    'MASH decision: threshold met for a child and family assessment; social worker allocated.',
    "MASH decision: below the threshold for social care; passed to early help with the family's agreement.",
    'MASH decision: no further action by social care; school to monitor and refer again if anything changes.',
  ],
  monitor: [
    'Decision: monitor for six weeks. Class teacher and learning mentor to share any change.',
    'Decision: monitor. Check in weekly and review at half term.',
  ],
  noFurtherAction: ['No further action.', 'No further action after speaking with the family.'],
  noFurtherActionReason: [
    'Explanation from the parent is consistent with what {pupil} said and what staff saw; no concerns about care at home.',
    'A one-off; both pupils have made up and the families are satisfied with how school dealt with it.',
    'Attendance is back above 95% for four weeks running.',
    'Medical plan in place and working; no further concerns.',
  ],
  earlyHelp: ['Decision: offer early help; family agreed to a team around the family meeting.'],
  task: [
    'Check in with {pupil} daily for two weeks and record anything new.',
    'Send the attendance letter and book a meeting with the family.',
    "Update the pupil's support plan with what was agreed.",
    'Share the care plan with all adults who work with {pupil}.',
    'Ring {parent} to follow up on the meeting.',
  ],
} as const;

/** Reasons for reopening a closed case (new information). */
export const REOPEN_REASONS = [
  'New information: {pupil} made a further disclosure to the class teacher.',
  'The family asked for help again after things got worse at home.',
  'A second incident involving the same pupils has been reported.',
];

/** Amendments the DSL makes with a reason, each naming what was wrong. */
export const AMENDMENT_REASONS = {
  happenedAt:
    'The recorder told the DSL the time was mistyped on the form; corrected from the paper note.',
  location: 'The recorder asked for the place to be corrected: it happened in the dining hall.',
  categoryIds: "Category added after the DSL's review: the concern also fits this category.",
  agencyIds: 'Agency added: they became involved later the same day.',
  facts: 'The recorder asked for a detail they left out to be added: who else was present.',
} as const;

/** Added to the facts by an amendment of the facts. */
export const FACTS_ADDITION = ' A lunchtime supervisor, {witness}, was also present and saw this.';

/** Made-up adults: parents and carers (first names; surnames are the pupil's). */
export const PARENT_FIRST_NAMES = [
  'Dana',
  'Chris',
  'Jo',
  'Alex',
  'Robin',
  'Jamie',
  'Morgan',
  'Kim',
  'Lesley',
  'Sam',
  'Terry',
  'Ashley',
] as const;
