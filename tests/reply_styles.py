"""Real-shaped reply bodies: (sender display name, body), one per mail client style."""

CASES = {
    "gmail": (
        "Rosa Ibáñez",
        """Sounds good, see you Tuesday.

Rosa Ibáñez
Executive Director, Better Schools Now
(555) 010-2233

On Mon, Mar 3, 2025 at 4:02 PM Dana Whitfield <dana.whitfield@district.example> wrote:
> Can we meet before the vote?
>
> Dana
""",
    ),
    "outlook": (
        "Marcus Lee",
        """Thanks Rosa. I'll bring it up with Dana.

Marcus Lee
Office of Board Member Dana Whitfield
Lakemont Unified School District | 555-010-4455

CONFIDENTIALITY NOTICE: This e-mail message, including any attachments, is for the sole use \
of the intended recipient(s) and may contain confidential information.

-----Original Message-----
From: Rosa Ibáñez <rosa@bsn.example>
Sent: Monday, March 3, 2025 4:02 PM
To: Marcus Lee <marcus.lee@district.example>
Subject: Charter vote

Can we talk before Tuesday?
""",
    ),
    "apple": (
        "Dana Whitfield",
        """Yes, Thursday works.

Sent from my iPhone

> On Mar 3, 2025, at 4:02 PM, Kevin Doyle <kdoyle@bsn.example> wrote:
>
> Can we meet Thursday?
""",
    ),
    "thunderbird": (
        "Grace Liu",
        """Agreed.

On 3/3/25 4:02 PM, Helen Brandt wrote:
> The bond language is final.
""",
    ),
    "inline": (
        "Dana Whitfield",
        """> Can you send the numbers?
Yes, attached.
> And the timeline?
By Friday.
""",
    ),
    "forward": (
        "Helen Brandt",
        """FYI, see below.

---------- Forwarded message ---------
From: Grace Liu <grace.liu@district.example>
Date: Wed, Apr 2, 2025 at 3:05 PM
Subject: Agenda
To: Helen Brandt <helen.brandt@district.example>

Helen, here is the agenda.
""",
    ),
    "deep": (
        "Rosa Ibáñez",
        """Level zero.

On Thu, Mar 6, 2025 at 9:00 AM Kevin Doyle <kdoyle@bsn.example> wrote:
> Level one.
>
> On Wed, Mar 5, 2025 at 9:00 AM Amara Sesay <asesay@bsn.example> wrote:
>> Level two.
>>
>> On Tue, Mar 4, 2025 at 9:00 AM Rosa Ibáñez <rosa@bsn.example> wrote:
>>> Level three.
>>>
>>> On Mon, Mar 3, 2025 at 9:00 AM Dana Whitfield <dana.whitfield@district.example> wrote:
>>>> Level four.
""",
    ),
    "nothing": (
        "Rosa Ibáñez",
        """Just checking in on the agenda.

Thanks,
Rosa
""",
    ),
    "german": (
        "Jenna Park",
        """Danke!

Am Mo., 3. März 2025 um 16:02 Uhr schrieb Carl Vance <cvance@brightpath.example>:
> Hier ist der Bericht.
""",
    ),
    "fwdfwd": (
        "Kevin Doyle",
        """See the chain.

________________________________
From: Amara Sesay <asesay@bsn.example>
Sent: Tuesday, March 4, 2025 10:00 AM
To: Kevin Doyle <kdoyle@bsn.example>
Subject: FW: Charter numbers

Forwarding again.

________________________________
From: Rosa Ibáñez <rosa@bsn.example>
Sent: Monday, March 3, 2025 4:02 PM
To: Amara Sesay <asesay@bsn.example>
Subject: Charter numbers

The numbers are in.
""",
    ),
}
